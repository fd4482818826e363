/**
 * The Quarkus side of the relay pod: producers for the Redis connection and the {@link dev.stampede.relay.RelayNode},
 * the {@code @GrpcService} that registers it, transport tuning, the gRPC self-probe, readiness, and the SIGTERM drain.
 */
package dev.stampede.relay.ops;
