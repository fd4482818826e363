-- Re-homes an allocation from a draining pod onto another pod and issues rejoin tokens.
-- KEYS[1] {a:<id>}:relay:alloc   KEYS[2] {a:<id>}:relay:join
-- ARGV[1] from pod  ARGV[2] to pod  ARGV[3] now (epoch ms)  ARGV[4] new expiry (epoch ms)  ARGV[5] key TTL (ms)
-- ARGV[6..] triples of (token hash, user, token expiry epoch ms)
-- Returns {1, owner} moved | {0} released or expired | {-1, pod} not held by the from pod
local a = redis.call('HMGET', KEYS[1], 'pod', 'expires', 'owner')
if not a[1] or tonumber(a[2]) <= tonumber(ARGV[3]) then
  return {0}
end
if a[1] ~= ARGV[1] then
  return {-1, a[1]}
end
redis.call('HSET', KEYS[1], 'pod', ARGV[2], 'expires', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
for i = 6, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1] .. ' ' .. ARGV[i + 2])
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return {1, a[3]}
