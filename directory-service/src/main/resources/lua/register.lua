-- Register: publishes the lease of one device of a user, replacing that device's earlier lease.
-- KEYS[1] presence hash {u:<id>}:p     KEYS[2] revocation hash {u:<id>}:revoked (written by auth)
-- ARGV[1] device id  ARGV[2] session id  ARGV[3] encoded lease (its expiry is set here)  ARGV[4] TTL ms
-- ARGV[5] max devices per user  ARGV[6] change channel
-- Returns {1, now ms, expires-at ms}, or {-1} when the session was revoked.
local now = now_ms()
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return {-1}
end
local expires = now + tonumber(ARGV[4])
local key_expires = expires
-- Prune leases that expired (Redis 6.2 has no per-field TTL) and find the one that expires first, which makes room
-- when the user already has the maximum number of devices: it is the likeliest to be dead.
local fields = redis.call('HGETALL', KEYS[1])
local others, first_field, first_expiry = 0, nil, nil
for i = 1, #fields, 2 do
  local field = fields[i]
  if field ~= ARGV[1] then
    local e = expiry_of(fields[i + 1])
    if e <= now then
      redis.call('HDEL', KEYS[1], field)
    else
      others = others + 1
      if first_expiry == nil or e < first_expiry then
        first_field, first_expiry = field, e
      end
      if e > key_expires then
        key_expires = e
      end
    end
  end
end
if others >= tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[1], first_field)
end
redis.call('HSET', KEYS[1], ARGV[1], with_expiry(ARGV[3], expires))
-- The key outlives every live lease in it; readers ignore leases past their own expiry.
redis.call('PEXPIREAT', KEYS[1], key_expires)
redis.call('PUBLISH', ARGV[6], 'r')
return {1, now, expires}
