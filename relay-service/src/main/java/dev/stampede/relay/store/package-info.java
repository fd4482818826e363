/**
 * Redis access of the relay: the key schema ({@link dev.stampede.relay.store.Keys}), Lua scripts under
 * {@code src/main/resources/lua/}, allocations and join tokens ({@link dev.stampede.relay.store.AllocationStore}),
 * the pod registry ({@link dev.stampede.relay.store.PodRegistry}) and the shared connection
 * ({@link dev.stampede.relay.store.RedisLink}).
 */
package dev.stampede.relay.store;
