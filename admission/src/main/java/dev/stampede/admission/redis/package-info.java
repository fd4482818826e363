/**
 * The one shared, lazily connected, fail-fast Lettuce connection of a process, and Lua scripts run by
 * {@code EVALSHA} with {@code NOSCRIPT} recovery.
 */
package dev.stampede.admission.redis;
