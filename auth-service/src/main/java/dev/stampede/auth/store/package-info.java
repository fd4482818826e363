/**
 * Redis implementations of the domain's store ports (key schema in {@link dev.stampede.auth.store.RedisKeys}, Lua
 * scripts in {@code src/main/resources/lua/}), on the service's one shared connection.
 */
package dev.stampede.auth.store;
