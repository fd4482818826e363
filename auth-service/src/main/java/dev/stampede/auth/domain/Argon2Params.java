package dev.stampede.auth.domain;

/**
 * Argon2id cost parameters (RFC 9106). The defaults are the OWASP minimum — 19 MiB, t=2, p=1 — which costs
 * ≈ 40–70 ms of one core here (DESIGN §5). Raising them makes every log-in re-hash its account once.
 *
 * @param memoryKiB memory in KiB, 8·p .. 1 GiB
 * @param iterations passes over memory, 1..100
 * @param parallelism lanes, 1..16
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /** OWASP Password Storage Cheat Sheet, Argon2id minimum: m=19456 KiB. */
  public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
  /** OWASP minimum t=2. */
  public static final int DEFAULT_ITERATIONS = 2;
  /** OWASP minimum p=1. */
  public static final int DEFAULT_PARALLELISM = 1;
  /** The defaults as one value. */
  public static final Argon2Params OWASP_MINIMUM =
      new Argon2Params(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);

  static final int MAX_MEMORY_KIB = 1024 * 1024;

  /** @throws IllegalArgumentException naming the parameter out of range */
  public Argon2Params {
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: 1..16)");
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("memoryKiB: " + memoryKiB + " (expected: " + 8 * parallelism + ".."
          + MAX_MEMORY_KIB + ")");
    }
    if (iterations < 1 || iterations > 100) {
      throw new IllegalArgumentException("iterations: " + iterations + " (expected: 1..100)");
    }
  }

  @Override
  public String toString() {
    return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
  }
}
