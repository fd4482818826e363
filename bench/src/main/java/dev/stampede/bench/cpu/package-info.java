/** Per-process and per-thread CPU time from {@code /proc}, for server CPU per call in benchmarks. */
package dev.stampede.bench.cpu;
