package dev.stampede.relay.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of the relay pod, {@code stampede.relay.*} (env {@code STAMPEDE_RELAY_*}). Each key's default is
 * the matching {@code RelaySettings.DEFAULT_*}; {@link #toSettings()} checks them together.
 */
@ConfigMapping(prefix = "stampede.relay")
public interface RelayConfig {
  /**
   * {@code host:port} clients and other pods reach this pod at (in Kubernetes: the pod IP and gRPC port). Default:
   * {@link #advertisedHost()} and the gRPC server port.
   */
  Optional<String> advertisedAddress();

  /** Host part of the default advertised address. */
  @WithDefault("127.0.0.1")
  String advertisedHost();

  Capacity capacity();

  Quota quota();

  Allocation allocation();

  JoinToken joinToken();

  /** How long a Connect stream may take to send its join. */
  @WithDefault("10s")
  Duration joinTimeout();

  Stream stream();

  Drain drain();

  Registry registry();

  /** How long the pod waits at start for its own gRPC server to answer before it exits with an error. */
  @WithDefault("30s")
  Duration startupTimeout();

  /** Per-pod capacity. */
  interface Capacity {
    /** Allocations this pod holds at most. */
    @WithDefault("10000")
    int maxAllocations();

    /** Bytes per second this pod forwards at most, all streams together. */
    @WithDefault("1G")
    MemorySize maxBytesPerSecond();
  }

  /** Per-user quota. */
  interface Quota {
    /** Allocations one user may own at once, cluster-wide. */
    @WithDefault("8")
    int maxAllocationsPerUser();
  }

  /** Allocation lifetime. */
  interface Allocation {
    /** An allocation without a joined stream frees itself after this long. */
    @WithDefault("2m")
    Duration ttl();

    /** How often allocations in use are extended (and releases done on other pods noticed). */
    @WithDefault("5s")
    Duration refreshInterval();
  }

  /** Join and rejoin tokens. */
  interface JoinToken {
    /** How long a join token stays valid. */
    @WithDefault("60s")
    Duration ttl();
  }

  /** Per-stream memory (buffer + inbound window + outbound threshold + 65 KiB must stay ≤ 1 MiB). */
  interface Stream {
    /** Bytes of one direction the relay queues at most (payload + 128 B per frame). */
    @WithDefault("319K")
    MemorySize buffer();

    /** HTTP/2 stream window granted to each sender: bytes received but not yet taken. */
    @WithDefault("512K")
    MemorySize inboundWindow();

    /** Bytes handed to the transport for a receiver before grpc-java reports it not ready. */
    @WithDefault("128K")
    MemorySize outboundThreshold();
  }

  /** Shutdown. */
  interface Drain {
    /** How long moved streams may stay on a draining pod before they are closed. */
    @WithDefault("20s")
    Duration grace();
  }

  /** The pod registry. */
  interface Registry {
    /** Lease of this pod's entry; renewed every third of it. */
    @WithDefault("10s")
    Duration lease();
  }

  /** The checked settings these keys describe. */
  default RelaySettings toSettings() {
    return RelaySettings.builder()
        .maxAllocations(capacity().maxAllocations())
        .maxBytesPerSecond(capacity().maxBytesPerSecond().asLongValue())
        .maxAllocationsPerUser(quota().maxAllocationsPerUser())
        .allocationTtl(allocation().ttl())
        .refreshInterval(allocation().refreshInterval())
        .joinTokenTtl(joinToken().ttl())
        .joinTimeout(joinTimeout())
        .streamBuffer(stream().buffer().asLongValue())
        .inboundWindow((int) Math.min(Integer.MAX_VALUE, stream().inboundWindow().asLongValue()))
        .outboundThreshold((int) Math.min(Integer.MAX_VALUE, stream().outboundThreshold().asLongValue()))
        .drainGrace(drain().grace())
        .registryLease(registry().lease())
        .build();
  }
}
