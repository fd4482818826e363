/**
 * The shared gRPC load generator: open loop (Poisson arrivals) and closed loop (K in flight), retries that obey or
 * ignore pushback, HdrHistogram latency.
 */
package dev.stampede.bench.load;
