/**
 * The relay benchmark ({@code ./stampede bench relay}): throughput through one relay pod beside a raw two-hop TCP
 * copy in the same run, and the memory a stalled stream holds.
 */
package dev.stampede.bench.relay;
