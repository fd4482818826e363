/**
 * The auth-service benchmarks ({@code ./stampede bench resume}, {@code ./stampede bench login}): the service and
 * Redis as child processes, driven over the wire contract by the shared load generator.
 */
package dev.stampede.bench.auth;
