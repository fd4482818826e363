-- Reserves a place for one member in a bounded set of expiring members (a pod's allocations, a user's quota).
-- KEYS[1] the set (ZSET member -> expiry epoch ms)
-- ARGV[1] now (epoch ms)   ARGV[2] member   ARGV[3] member expiry (epoch ms)   ARGV[4] max members
-- ARGV[5] key TTL (ms): the set itself disappears when nothing refreshes it
-- Returns {1, count} when reserved (or already present), {0, count, earliest expiry} when full.
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
  return {1, redis.call('ZCARD', KEYS[1])}
end
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[4]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, tonumber(first[2])}
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, count + 1}
