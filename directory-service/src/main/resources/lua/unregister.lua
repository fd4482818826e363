-- Unregister: withdraws one device's lease if it is still the registration the lease id names. Idempotent.
-- KEYS[1] presence hash  KEYS[2] revocation hash
-- ARGV[1] device id  ARGV[2] session id  ARGV[3] nonce (8 bytes)  ARGV[4] change channel
-- Returns {1} when withdrawn, {0} when there was nothing to withdraw, {-1} when the session was revoked.
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return {-1}
end
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 2, 9) == ARGV[3] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('PUBLISH', ARGV[4], 'u')
  return {1}
end
return {0}
