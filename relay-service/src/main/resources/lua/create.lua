-- Records a new allocation and its peer's join token.
-- KEYS[1] {a:<id>}:relay:alloc   KEYS[2] {a:<id>}:relay:join
-- ARGV[1] owner  ARGV[2] peer  ARGV[3] pod  ARGV[4] expires (epoch ms)  ARGV[5] key TTL (ms)
-- ARGV[6] join token hash  ARGV[7] join token expiry (epoch ms)
-- Returns 1, or 0 if the id is taken (never, with 128 random bits; the caller then fails loudly).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'peer', ARGV[2], 'pod', ARGV[3], 'expires', ARGV[4], 'bound', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('HSET', KEYS[2], ARGV[6], ARGV[2] .. ' ' .. ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
