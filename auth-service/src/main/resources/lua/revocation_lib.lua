-- Shared by the scripts that revoke a session: publishes the revocation for verifiers (tokens module,
-- RevocationRecords) in the user's revocation hash, prunes records that no longer matter (Redis 6.2 has no
-- per-field expiry) and keeps the key exactly as long as its longest-lived record.
local function publish_revocation(key, session_id, now, until_ms)
  redis.call('HSET', key, session_id, until_ms)
  local all = redis.call('HGETALL', key)
  local latest = tonumber(until_ms)
  for i = 1, #all, 2 do
    local u = tonumber(all[i + 1])
    if u == nil or u < tonumber(now) then
      redis.call('HDEL', key, all[i])
    elseif u > latest then
      latest = u
    end
  end
  redis.call('PEXPIREAT', key, latest)
end
