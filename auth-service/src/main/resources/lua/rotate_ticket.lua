-- Exchanges a presented resume ticket for the next one, atomically (RFC 9700 §4.14.2 refresh-token rotation).
-- KEYS[1] {u:<userId>}:fam:<sessionId>   KEYS[2] {u:<userId>}:revoked
-- ARGV[1] device id  ARGV[2] presented ticket hash  ARGV[3] 1 when the ticket's MAC proves auth issued it
-- ARGV[4] next ticket hash  ARGV[5] ticket TTL (ms)  ARGV[6] now (epoch ms)
-- ARGV[7] revocation record lifetime end (epoch ms)  ARGV[8] session id  ARGV[9] re-use grace (ms, 0 = none)
-- ARGV[10] the client's idempotency key for the presented ticket ('' = none)
-- Returns rotated | regranted | unknown | revoked | wrong_device | reused | stale.
local f = redis.call('HMGET', KEYS[1], 'dev', 'cur', 'rev', 'gen', 'prev', 'rt', 'pk')
if not f[2] then
  return 'unknown'
end
if f[3] == '1' then
  return 'revoked'
end
if f[2] == ARGV[2] then
  if f[1] ~= ARGV[1] then
    return 'wrong_device'
  end
  redis.call('HSET', KEYS[1], 'cur', ARGV[4], 'prev', ARGV[2], 'gen', (tonumber(f[4]) or 0) + 1, 'rt', ARGV[6],
    'pk', ARGV[10])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 'rotated'
end
local grace = tonumber(ARGV[9]) or 0
local retry = ARGV[10] ~= '' and f[7] == ARGV[10]
if f[5] == ARGV[2] and f[1] == ARGV[1]
    and (retry or (grace > 0 and tonumber(ARGV[6]) - (tonumber(f[6]) or 0) <= grace)) then
  -- The ticket rotated away last, presented again with the key it was rotated with (or within the grace): the
  -- answer to that rotation was lost (client deadline, dropped connection, server killed after this script ran).
  -- Grant again from it instead of revoking; the ticket issued in the lost answer is spent. Whoever holds the
  -- ticket it replaced still meets re-use detection on its next presentation. The grace counts from the first
  -- rotation.
  redis.call('HSET', KEYS[1], 'cur', ARGV[4], 'gen', (tonumber(f[4]) or 0) + 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 'regranted'
end
if ARGV[3] == '1' then
  -- An authentic ticket that is no longer current was already rotated: someone holds a copy. Revoke the family
  -- and every session token of it.
  redis.call('HSET', KEYS[1], 'rev', 1)
  redis.call('PEXPIREAT', KEYS[1], ARGV[7]) -- kept only as long as a verifier could still meet its tokens
  publish_revocation(KEYS[2], ARGV[8], ARGV[6], ARGV[7])
  return 'reused'
end
return 'stale'
