package dev.stampede.localstack;

import java.util.List;

/**
 * The JVM options of the Stampede services, for everything that starts them as processes (the local stack, the
 * benchmarks, {@code ./stampede up}); the container images' entrypoints carry the same (the services' {@code pom.xml},
 * profile {@code image}).
 *
 * <p>auth-service runs the parallel collector: its Argon2 hash loop is faster there. With auth's kept Argon2 memory
 * a bare two-thread hash loop ran at 58–83 hashes/s against 52–55/s with G1; before auth kept it (every log-in
 * allocated 19 MiB of 1 KiB blocks, which G1 copied at every young pause) the same auth served 33–35 log-ins/s at
 * 48–52 ms of server CPU each, against 27–28/s at 62–64 ms with G1 ({@code ./stampede bench login --quick}, 2 cores,
 * three runs each; BENCHMARKS.md). directory and relay keep the JVM's default.
 */
public final class ServiceJvm {
  private static final List<String> AUTH = List.of("-XX:+UseParallelGC");

  private ServiceJvm() {
  }

  /** The JVM options of the Stampede service {@code service} ({@code auth}, {@code directory}, {@code relay}). */
  public static List<String> options(String service) {
    return "auth".equals(service) ? AUTH : List.of();
  }
}
