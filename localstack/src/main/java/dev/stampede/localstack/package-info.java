/**
 * Runs the pieces of a Stampede system as child processes on one machine: a private {@code redis-server}
 * ({@link dev.stampede.localstack.RedisServer}) and Java apps ({@link dev.stampede.localstack.JavaApp}) on free
 * loopback ports, with readiness waits, SIGKILL and restart on the same ports, and no orphans. Used by tests,
 * benchmarks, the chaos local engine and {@code stampede up}.
 */
package dev.stampede.localstack;
