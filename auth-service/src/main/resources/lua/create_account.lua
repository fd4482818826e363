-- Creates an account unless its key exists. The key is the claim on the normalised name (the user id derives
-- from it), so this is the whole uniqueness check, atomic and in one cluster slot.
-- KEYS[1] {u:<userId>}:acct
-- ARGV[1] normalised name  ARGV[2] password hash (PHC)  ARGV[3] now (epoch ms)
-- Returns 1 when created, 0 when the account existed (left untouched).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'phc', ARGV[2], 'ct', ARGV[3])
return 1
