package dev.stampede.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code stampede.auth.*}: auth-service's own settings. Every key, its environment variable and default are listed
 * in {@code auth-service/README.md}.
 */
@ConfigMapping(prefix = "stampede.auth")
public interface AuthSettings {
  /** Argon2id cost of new password hashes. */
  Argon2 argon2();

  /** The password-hashing pool. */
  Hashing hashing();

  /** Session tokens. */
  Session session();

  /** Resume tickets. */
  Ticket ticket();

  /** Throttling of failed log-ins (brute force), through the admission library's GCRA budgets. */
  LoginFailures loginFailures();

  /** Admin calls (GetSession, SeedAccounts). */
  Admin admin();

  /**
   * How long shutdown waits for calls in flight to finish after new calls start being refused with
   * {@code UNAVAILABLE}/{@code DRAINING}.
   */
  @WithDefault("10s")
  Duration drainTimeout();

  /** gRPC serving guard. */
  Grpc grpc();

  /** {@code stampede.auth.argon2.*}. */
  interface Argon2 {
    /** Memory in KiB; default the OWASP minimum, 19 MiB. */
    @WithDefault("19456")
    int memoryKib();

    /** Passes; default 2. */
    @WithDefault("2")
    int iterations();

    /** Lanes; default 1. */
    @WithDefault("1")
    int parallelism();
  }

  /** {@code stampede.auth.hashing.*}. */
  interface Hashing {
    /** Worker threads; default the number of cores. */
    OptionalInt threads();

    /**
     * The worker threads configured, else the number of cores.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1, naming the property
     */
    default int threadCount() {
      int threads = threads().orElse(Runtime.getRuntime().availableProcessors());
      if (threads < 1) {
        throw new IllegalArgumentException("stampede.auth.hashing.threads: " + threads + " (expected: > 0)");
      }
      return threads;
    }

    /** Tasks that may wait for a worker (the admission library bounds and orders them); default 16. */
    @WithDefault("16")
    int queueSize();
  }

  /** {@code stampede.auth.session.*}. */
  interface Session {
    /** Lifetime of a session token; default 15 minutes. */
    @WithDefault("15m")
    Duration ttl();
  }

  /** {@code stampede.auth.ticket.*}. */
  interface Ticket {
    /** Lifetime of a resume ticket, renewed by every resume; default 14 days. */
    @WithDefault("14d")
    Duration ttl();

    /**
     * How long after a rotation the spent ticket may be presented once more from the same device and grant again
     * (its answer was lost) instead of revoking the family; default 0 s, the contract's strict rotation.
     */
    @WithDefault("0s")
    Duration reuseGrace();
  }

  /** {@code stampede.auth.login-failures.*}. */
  interface LoginFailures {
    /** Sustained failed log-ins allowed per account, per minute; default 5. */
    @WithDefault("5")
    double perAccountPerMinute();

    /** Burst of failed log-ins per account; default 10. */
    @WithDefault("10")
    int perAccountBurst();

    /** Sustained failed log-ins allowed per source address, per second; default 2. */
    @WithDefault("2")
    double perSourcePerSecond();

    /** Burst of failed log-ins per source address; default 50. */
    @WithDefault("50")
    int perSourceBurst();
  }

  /** {@code stampede.auth.admin.*}. */
  interface Admin {
    /**
     * The service credential of admin calls, sent as {@code authorization: Bearer <credential>}; at least 16
     * characters. Unset: admin calls are refused.
     */
    Optional<String> credential();

    /** Whether SeedAccounts is enabled; default false (the local stack enables it for experiments). */
    @WithDefault("false")
    boolean seedEnabled();
  }

  /** {@code stampede.auth.grpc.*}. */
  interface Grpc {
    /**
     * How long after start the gRPC server may take to answer its own loopback probe before the process exits
     * with an error (a taken port or a service that failed to register would otherwise leave a process that
     * looks started and serves nothing); {@code 0} only reports not-ready. Default 30 s.
     */
    @WithDefault("30s")
    Duration startupTimeout();
  }
}
