/**
 * The gRPC edge of the relay: {@link dev.stampede.relay.grpc.RelayEndpoint} (plain grpc-java, manual flow control),
 * session-token authentication, and {@link dev.stampede.relay.grpc.Statuses}, the one mapping from failures to
 * statuses with RetryInfo and pushback.
 */
package dev.stampede.relay.grpc;
