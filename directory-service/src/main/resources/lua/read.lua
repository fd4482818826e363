-- Read: a user's stored leases and Redis' clock, so that every pod filters expired leases by the same clock.
-- KEYS[1] presence hash
-- Returns {now ms, device id, lease, device id, lease, ...}.
local all = redis.call('HGETALL', KEYS[1])
table.insert(all, 1, now_ms())
return all
