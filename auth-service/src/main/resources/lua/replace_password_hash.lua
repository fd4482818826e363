-- Replaces an account's password hash if it is still the one the caller verified against (compare-and-set), so a
-- re-hash after a log-in never overwrites a concurrent change.
-- KEYS[1] {u:<userId>}:acct
-- ARGV[1] expected hash  ARGV[2] replacement
-- Returns 1 when replaced, 0 otherwise.
if redis.call('HGET', KEYS[1], 'phc') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'phc', ARGV[2])
  return 1
end
return 0
