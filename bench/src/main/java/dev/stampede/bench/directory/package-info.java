/**
 * The directory service's benchmarks (heartbeat, lookup, presence memory), on the shared load generator and anchor.
 */
package dev.stampede.bench.directory;
