-- Shared by every directory script (prepended when the script is loaded).
-- A device's lease is a binary value (DeviceLeaseCodec): byte 1 version, bytes 2..9 nonce, bytes 10..15
-- expiry in epoch ms (big-endian); the rest is opaque here.

-- Redis' clock, in ms: one clock for every pod, so a lease expires at the same instant wherever it is read.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function expiry_of(v)
  local n = 0
  for i = 10, 15 do
    n = n * 256 + string.byte(v, i)
  end
  return n
end

-- The value with its expiry replaced (ms < 2^48, exact in a Lua double).
local function with_expiry(v, ms)
  local b = {}
  for i = 6, 1, -1 do
    b[i] = ms % 256
    ms = math.floor(ms / 256)
  end
  return string.sub(v, 1, 9) .. string.char(b[1], b[2], b[3], b[4], b[5], b[6]) .. string.sub(v, 16)
end
