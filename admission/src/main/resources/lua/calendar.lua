-- The cluster-wide retry calendar: books one promise in the earliest slot with room, on Redis' clock, in one round
-- trip. Every replica registers its own per-slot budget; a slot's budget is the sum over replicas seen recently.
--
-- KEYS[1]  hash of slot index -> promises, plus field "cursor" (the first slot that may have room)
-- KEYS[2]  hash of replica id -> "<per-slot budget>:<expires at ms>"
-- ARGV[1]  this replica's id
-- ARGV[2]  this replica's per-slot budget (>= 1)
-- ARGV[3]  slot width in ms
-- ARGV[4]  minimum delay in ms
-- ARGV[5]  horizon in slots
-- ARGV[6]  how long a replica's budget counts without being refreshed, in ms
--
-- Returns {delay_ms, slot_budget}: delay_ms is the time until the booked slot starts (the caller adds jitter inside
-- the slot), or -1 when every slot up to the horizon is full (nothing booked). Both keys share one hash tag.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = tonumber(ARGV[3])
local horizon = tonumber(ARGV[5])

redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[6])))
local budget = 0
local replicas = redis.call('HGETALL', KEYS[2])
for i = 1, #replicas, 2 do
  local value = replicas[i + 1]
  local sep = string.find(value, ':', 1, true)
  local b = tonumber(string.sub(value, 1, sep - 1))
  local expires = tonumber(string.sub(value, sep + 1))
  if expires < now then
    redis.call('HDEL', KEYS[2], replicas[i])
  else
    budget = budget + b
  end
end
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]) * 2)

local first = math.ceil((now + tonumber(ARGV[4])) / slot)
local cursor = tonumber(redis.call('HGET', KEYS[1], 'cursor') or first)
if cursor < first then
  -- Forget slots that are in the past.
  for i = cursor, math.min(first - 1, cursor + horizon) do
    redis.call('HDEL', KEYS[1], i)
  end
  cursor = first
end

local result = -1
local i = cursor
while i < first + horizon do
  local n = tonumber(redis.call('HGET', KEYS[1], i) or 0)
  if n < budget then
    redis.call('HSET', KEYS[1], i, n + 1)
    result = i * slot - now
    break
  end
  i = i + 1
end
-- The cursor is the first slot that may still have room (budgets can grow, so it only skips full slots).
redis.call('HSET', KEYS[1], 'cursor', i)
redis.call('PEXPIRE', KEYS[1], (horizon + 1) * slot)
return {result, budget}
