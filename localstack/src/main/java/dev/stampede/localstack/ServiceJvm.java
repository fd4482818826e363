package dev.stampede.localstack;

import java.util.List;

/**
 * The JVM options of the Stampede services, for everything that starts them as processes (the local stack, the
 * benchmarks, {@code ./stampede up}); the container images' entrypoints carry the same (the services' {@code pom.xml},
 * profile {@code image}).
 *
 * <p>auth-service runs the parallel collector. A log-in allocates Argon2id's whole memory (19 MiB of 1 KiB blocks
 * at the default parameters) and drops it 30–60 ms later; G1 copies the blocks of the hashes in flight at every
 * young pause, starts concurrent cycles and shrinks and regrows the heap around them. With the parallel collector
 * the same auth served 33–35 log-ins/s at 48–52 ms of server CPU each, against 27–28/s at 62–64 ms with G1
 * ({@code ./stampede bench login --quick}, 2 cores, three runs each; BENCHMARKS.md). directory and relay keep
 * the JVM's default.
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
