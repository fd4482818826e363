/**
 * The relay service: {@link dev.stampede.relay.RelayNode} wires one relay pod from plain parts (forwarding core,
 * Redis store, allocation, drain, gRPC endpoint); {@link dev.stampede.relay.RelayMetrics} are its metrics.
 */
package dev.stampede.relay;
