-- Deletes an allocation if the caller is a party to it (or unconditionally when ARGV[1] is '').
-- KEYS[1] {a:<id>}:relay:alloc   KEYS[2] {a:<id>}:relay:join
-- ARGV[1] user ('' for the relay itself)
-- Returns {'OK', owner, pod} | {'GONE'} | {'NOT_A_PARTY'}
local a = redis.call('HMGET', KEYS[1], 'owner', 'peer', 'pod')
if not a[1] then
  return {'GONE'}
end
if ARGV[1] ~= '' and ARGV[1] ~= a[1] and ARGV[1] ~= a[2] then
  return {'NOT_A_PARTY'}
end
redis.call('DEL', KEYS[1], KEYS[2])
return {'OK', a[1], a[3]}
