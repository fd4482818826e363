-- The anchor's one round trip: read one key.
return redis.call('GET', KEYS[1])
