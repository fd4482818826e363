package dev.stampede.relay.drain;

import java.time.Duration;

/**
 * What a drain did.
 *
 * @param moved allocations re-homed onto another pod
 * @param unmovable allocations no other pod could take (released; their streams ended with {@code UNAVAILABLE})
 * @param streamsToldToMove connected sides that received a {@code Draining} message
 * @param streamsCutAtDeadline sides still connected when the grace period ran out
 * @param took how long the drain took
 */
public record DrainReport(int moved, int unmovable, int streamsToldToMove, int streamsCutAtDeadline, Duration took) {
}
