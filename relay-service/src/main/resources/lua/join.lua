-- Admits one side of an allocation to a stream on this pod.
-- KEYS[1] {a:<id>}:relay:alloc   KEYS[2] {a:<id>}:relay:join
-- ARGV[1] user  ARGV[2] join token hash ('' for none)  ARGV[3] now (epoch ms)  ARGV[4] this pod
-- A join token, when given, must be unused, unexpired and bound to this user; it is spent only when the join is
-- admitted here. Without one, the owner may join, and so may a peer that has spent its token before.
-- Returns {'OK', role, owner, peer, expires} | {'NOT_FOUND'} | {'TOKEN_INVALID'} | {'TOKEN_REQUIRED'}
--       | {'NOT_A_PARTY'} | {'MOVED', pod}
local a = redis.call('HMGET', KEYS[1], 'owner', 'peer', 'pod', 'expires', 'bound')
local now = tonumber(ARGV[3])
if not a[1] or tonumber(a[4]) <= now then
  return {'NOT_FOUND'}
end
local user, owner, peer = ARGV[1], a[1], a[2]
local token = nil
if ARGV[2] ~= '' then
  token = redis.call('HGET', KEYS[2], ARGV[2])
  if not token then
    return {'TOKEN_INVALID'}
  end
  local sep = string.find(token, ' ', 1, true)
  if string.sub(token, 1, sep - 1) ~= user then
    return {'TOKEN_INVALID'}
  end
  if tonumber(string.sub(token, sep + 1)) <= now then
    redis.call('HDEL', KEYS[2], ARGV[2])
    return {'TOKEN_INVALID'}
  end
elseif user ~= owner then
  if user ~= peer then
    return {'NOT_A_PARTY'}
  end
  if a[5] ~= '1' then
    return {'TOKEN_REQUIRED'}
  end
end
if a[3] ~= ARGV[4] then
  return {'MOVED', a[3]}
end
if token then
  redis.call('HDEL', KEYS[2], ARGV[2])
  if user == peer then
    redis.call('HSET', KEYS[1], 'bound', '1')
  end
end
local role = 'peer'
if user == owner then
  role = 'owner'
end
return {'OK', role, owner, peer, a[4]}
