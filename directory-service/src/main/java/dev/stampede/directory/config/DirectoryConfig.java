package dev.stampede.directory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of the directory service, {@code stampede.directory.*} (env {@code STAMPEDE_DIRECTORY_*}). Every key
 * and its default is listed in the module README.
 */
@ConfigMapping(prefix = "stampede.directory")
public interface DirectoryConfig {
  /** Presence leases. */
  Lease lease();

  /** Watch streams. */
  Watch watch();

  /** Session tokens. */
  Token token();

  /** Graceful shutdown. */
  Drain drain();

  /**
   * How long after start gRPC must demonstrably serve the directory before the process gives up and exits with
   * status 1 (default 30 s; 0 = never exit, only stay not-ready). See {@code GrpcSelfProbe}.
   */
  @WithDefault("30s")
  Duration grpcStartTimeout();

  /**
   * Where clients allocate relays, returned in every Lookup's relay hint (a gRPC target such as
   * {@code dns:///relay.stampede.svc.cluster.local:9000}); empty by default.
   */
  Optional<String> relayTarget();

  interface Lease {
    /** How long a lease lives without a heartbeat (default 60 s; clients heartbeat at about a third of it). */
    @WithDefault("60s")
    Duration ttl();

    /**
     * Devices one user may have present at once (default 16). Registering one more evicts the device whose lease
     * expires first (the likeliest to be dead), so a user can never grow Redis without bound.
     */
    @WithDefault("16")
    int maxDevicesPerUser();
  }

  interface Watch {
    /** Users one Watch may name (default 100, the contract's maximum; it may only be lowered). */
    @WithDefault("100")
    int maxUsers();

    /** Watch streams one pod holds at most (default 10000); more are refused with RESOURCE_EXHAUSTED. */
    @WithDefault("10000")
    int maxStreams();

    /** How long after a lease's expiry its watchers' pod re-reads the user (default 250 ms). */
    @WithDefault("250ms")
    Duration expiryGrace();
  }

  interface Token {
    /** Clock skew tolerated between auth and this service when checking token times (default 10 s). */
    @WithDefault("10s")
    Duration allowedClockSkew();

    /**
     * How stale a cached revocation verdict may be for Lookup and Watch (default 2 s). Register, Heartbeat and
     * Unregister check revocation inside their script, with no staleness.
     */
    @WithDefault("2s")
    Duration revocationMaxStaleness();

    /** Cached revocation verdicts at most (default 100000). */
    @WithDefault("100000")
    int revocationCacheSize();
  }

  interface Drain {
    /** How long shutdown waits for calls in flight to finish before the gRPC server stops (default 10 s). */
    @WithDefault("10s")
    Duration timeout();
  }
}
