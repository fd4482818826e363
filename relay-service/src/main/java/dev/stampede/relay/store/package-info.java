/**
 * Redis access of the relay: the key schema ({@link dev.stampede.relay.store.Keys}), Lua scripts under
 * {@code src/main/resources/lua/} (run through the admission library's {@code RedisScript}), allocations and join
 * tokens ({@link dev.stampede.relay.store.AllocationStore}) and the pod registry
 * ({@link dev.stampede.relay.store.PodRegistry}), all on the process's one {@code SharedRedis} connection.
 */
package dev.stampede.relay.store;
