/**
 * Benchmarks: the shared report ({@link dev.stampede.bench.BenchReport}) and the anchor
 * ({@link dev.stampede.bench.Anchor}); the load generator is in {@code load}, CPU accounting in {@code cpu}, the
 * overload benchmark in {@code overload}.
 */
package dev.stampede.bench;
