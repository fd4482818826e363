-- Extends an allocation that has a stream on the pod holding it.
-- KEYS[1] {a:<id>}:relay:alloc   KEYS[2] {a:<id>}:relay:join
-- ARGV[1] this pod  ARGV[2] now (epoch ms)  ARGV[3] new expiry (epoch ms)  ARGV[4] key TTL (ms)
-- Returns {1, owner} extended | {0} released or expired | {-1, pod} moved to another pod
local a = redis.call('HMGET', KEYS[1], 'pod', 'expires', 'owner')
if not a[1] or tonumber(a[2]) <= tonumber(ARGV[2]) then
  return {0}
end
if a[1] ~= ARGV[1] then
  return {-1, a[1]}
end
redis.call('HSET', KEYS[1], 'expires', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return {1, a[3]}
