-- Heartbeat: extends one device's lease, if it is still the registration the lease id names.
-- KEYS[1] presence hash  KEYS[2] revocation hash
-- ARGV[1] device id  ARGV[2] session id  ARGV[3] nonce (8 bytes)  ARGV[4] TTL ms  ARGV[5] change channel
-- Returns {1, now ms, expires-at ms}; {0} when the lease expired or was replaced; {-1} when the session was revoked.
local now = now_ms()
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return {-1}
end
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v or string.sub(v, 2, 9) ~= ARGV[3] then
  return {0}
end
if expiry_of(v) <= now then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('PUBLISH', ARGV[5], 'e')
  return {0}
end
local expires = now + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], with_expiry(v, expires))
local pttl = redis.call('PTTL', KEYS[1])
if pttl < 0 or now + pttl < expires then
  redis.call('PEXPIREAT', KEYS[1], expires)
end
return {1, now, expires}
