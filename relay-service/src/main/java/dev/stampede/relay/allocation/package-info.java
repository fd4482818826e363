/**
 * Allocations on this pod: {@link dev.stampede.relay.allocation.Allocator} (allocate, join, release with capacity,
 * quota and join tokens), {@link dev.stampede.relay.allocation.AllocationRefresher} (keeps allocations in use alive)
 * and {@link dev.stampede.relay.allocation.PodMembership} (this pod's lease in the pod registry).
 */
package dev.stampede.relay.allocation;
