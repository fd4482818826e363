-- Stores a new ticket family (session) with its first ticket, bound to a device.
-- KEYS[1] {u:<userId>}:fam:<sessionId>
-- ARGV[1] device id  ARGV[2] ticket hash  ARGV[3] ticket TTL (ms)  ARGV[4] now (epoch ms)
redis.call('HSET', KEYS[1], 'dev', ARGV[1], 'cur', ARGV[2], 'gen', 1, 'rev', 0, 'ct', ARGV[4], 'rt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
