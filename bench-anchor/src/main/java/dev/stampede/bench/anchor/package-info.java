/**
 * The benchmark anchor app: {@code stampede.bench.v1.Anchor/Touch} does one Lettuce {@code EVALSHA} on the shared
 * connection and answers, in the same Quarkus gRPC server mode as the services.
 */
package dev.stampede.bench.anchor;
