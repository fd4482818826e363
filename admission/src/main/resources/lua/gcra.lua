-- GCRA (generic cell rate algorithm) for one budget key, in one round trip, on Redis' clock.
--
-- KEYS[1]  the budget key; its value is the theoretical arrival time (TAT) in microseconds since the epoch
-- ARGV[1]  emission interval T in microseconds (1 / rate)
-- ARGV[2]  burst tolerance tau in microseconds (T * (burst - 1)): burst requests may arrive at once
-- ARGV[3]  cost n (>= 1)
-- ARGV[4]  "1" to consume, "0" to only ask whether n would be allowed now
--
-- Returns {allowed (1|0), retry_after_us, remaining}: remaining is how many more unit requests would be allowed
-- right now after this one. One GET and at most one SET: no read-modify-write race between clients (the script runs
-- atomically), no retry loop, so a hot key costs the same as a cold one. Redis 6.2 commands only; TIME before a write
-- is fine with effects replication (the default since 5.0).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tau = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])

local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local new_tat = tat + cost * interval
local allow_at = new_tat - interval - tau
if now < allow_at then
  local remaining = math.floor((now + tau + interval - tat) / interval)
  if remaining < 0 then
    remaining = 0
  end
  return {0, math.ceil(allow_at - now), remaining}
end
if ARGV[4] == '1' then
  -- %.0f: tostring() would print 1.7e+15 and lose the microseconds.
  redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
end
return {1, 0, math.floor((now + tau + interval - new_tat) / interval)}
