-- Ends a session: revokes its ticket family (if it still exists) and publishes the revocation for verifiers.
-- Idempotent.
-- KEYS[1] {u:<userId>}:fam:<sessionId>   KEYS[2] {u:<userId>}:revoked
-- ARGV[1] session id  ARGV[2] now (epoch ms)  ARGV[3] revocation record lifetime end (epoch ms)
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'rev', 1)
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
publish_revocation(KEYS[2], ARGV[1], ARGV[2], ARGV[3])
return 1
