/**
 * Shutting a relay pod down without dropping calls: {@link dev.stampede.relay.drain.Drainer} moves its allocations
 * to other pods, tells connected sides where to go and closes what is left after the grace period.
 */
package dev.stampede.relay.drain;
