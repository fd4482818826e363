package dev.stampede.relay.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of one relay pod, as an immutable value checked once when it is built. The Quarkus layer builds it
 * from {@link RelayConfig}; tests build it directly. Defaults are the public {@code DEFAULT_*} constants.
 *
 * <p>Memory per stream: the relay holds at most {@link #streamBuffer()} bytes of one direction in its own queue,
 * plus at most {@link #inboundWindow()} bytes the transport has received but not handed over yet, plus what grpc-java
 * keeps for a receiver that is not ready ({@link #outboundAllowance()}: its on-ready threshold plus one message).
 * {@link Builder#build()} refuses settings whose sum ({@link #streamMemoryBound()}) exceeds {@link #MAX_STREAM_MEMORY}
 * (1 MiB, the contract of {@code relay.proto}).
 */
public final class RelaySettings {
  /** Largest frame payload the contract accepts, in bytes. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;
  /** Largest message on the wire: a frame plus its envelope, or a join (≤ 2 KiB). Larger ones the transport refuses. */
  public static final int MAX_MESSAGE_BYTES = MAX_FRAME_BYTES + 1024;
  /** The contract's bound on the memory the relay holds for one stream. */
  public static final long MAX_STREAM_MEMORY = 1024 * 1024;

  public static final int DEFAULT_MAX_ALLOCATIONS = 10_000;
  public static final long DEFAULT_MAX_BYTES_PER_SECOND = 1024L * 1024 * 1024;
  public static final int DEFAULT_MAX_ALLOCATIONS_PER_USER = 8;
  public static final Duration DEFAULT_ALLOCATION_TTL = Duration.ofMinutes(2);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_JOIN_TOKEN_TTL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);
  // The 1 MiB per stream goes mostly to the HTTP/2 window: throughput through the relay is bounded by the bytes a
  // sender may have in flight, and a wider window (512 KiB, against 256 KiB) measured ~1.3 x the MB/s. The queue keeps
  // the rest: 319 KiB holds 4 full-size frames, and buffer + window + threshold + one message stays within 1 MiB.
  public static final long DEFAULT_STREAM_BUFFER = 319 * 1024;
  public static final int DEFAULT_INBOUND_WINDOW = 512 * 1024;
  public static final int DEFAULT_OUTBOUND_THRESHOLD = 128 * 1024;
  public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(20);
  public static final Duration DEFAULT_REGISTRY_LEASE = Duration.ofSeconds(10);

  private final int maxAllocations;
  private final long maxBytesPerSecond;
  private final int maxAllocationsPerUser;
  private final Duration allocationTtl;
  private final Duration refreshInterval;
  private final Duration joinTokenTtl;
  private final Duration joinTimeout;
  private final long streamBuffer;
  private final int inboundWindow;
  private final int outboundThreshold;
  private final Duration drainGrace;
  private final Duration registryLease;

  private RelaySettings(Builder b) {
    this.maxAllocations = b.maxAllocations;
    this.maxBytesPerSecond = b.maxBytesPerSecond;
    this.maxAllocationsPerUser = b.maxAllocationsPerUser;
    this.allocationTtl = b.allocationTtl;
    this.refreshInterval = b.refreshInterval;
    this.joinTokenTtl = b.joinTokenTtl;
    this.joinTimeout = b.joinTimeout;
    this.streamBuffer = b.streamBuffer;
    this.inboundWindow = b.inboundWindow;
    this.outboundThreshold = b.outboundThreshold;
    this.drainGrace = b.drainGrace;
    this.registryLease = b.registryLease;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings with every default. */
  public static RelaySettings defaults() {
    return builder().build();
  }

  /** Allocations this pod holds at most (live and not yet joined). */
  public int maxAllocations() {
    return maxAllocations;
  }

  /** Bytes per second this pod forwards at most, all streams together. */
  public long maxBytesPerSecond() {
    return maxBytesPerSecond;
  }

  /** Allocations one user may hold at once, cluster-wide. */
  public int maxAllocationsPerUser() {
    return maxAllocationsPerUser;
  }

  /** How long an allocation lives without a joined stream; joined streams keep extending it. */
  public Duration allocationTtl() {
    return allocationTtl;
  }

  /** How often the holding pod extends allocations in use and notices releases done on other pods. */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /** How long a join or rejoin token stays valid. */
  public Duration joinTokenTtl() {
    return joinTokenTtl;
  }

  /** How long a Connect stream may take to send its join. */
  public Duration joinTimeout() {
    return joinTimeout;
  }

  /** Bytes of one direction the relay queues at most (payload plus {@code Pipe.FRAME_OVERHEAD} per frame). */
  public long streamBuffer() {
    return streamBuffer;
  }

  /** The HTTP/2 stream window the relay grants each sender: bytes received but not yet taken from the transport. */
  public int inboundWindow() {
    return inboundWindow;
  }

  /**
   * grpc-java's on-ready threshold of each Connect stream: bytes handed to the transport for a receiver before it
   * reports not ready. Larger keeps more frames in flight towards a receiver (fewer wake-ups per byte); it is part of
   * the memory bound.
   */
  public int outboundThreshold() {
    return outboundThreshold;
  }

  /** What grpc-java may hold for a receiver that is not ready: the on-ready threshold plus one message. */
  public long outboundAllowance() {
    return (long) outboundThreshold + MAX_MESSAGE_BYTES;
  }

  /** Everything the relay may hold for one direction of one stream: queue, inbound window, outbound allowance. */
  public long streamMemoryBound() {
    return streamBuffer + inboundWindow + outboundAllowance();
  }

  /** How long a draining pod keeps moved streams open before it closes them. */
  public Duration drainGrace() {
    return drainGrace;
  }

  /** How long a pod's entry in the pod registry lives without a heartbeat. */
  public Duration registryLease() {
    return registryLease;
  }

  @Override
  public String toString() {
    return "RelaySettings{maxAllocations=" + maxAllocations + ", maxBytesPerSecond=" + maxBytesPerSecond
        + ", maxAllocationsPerUser=" + maxAllocationsPerUser + ", allocationTtl=" + allocationTtl
        + ", refreshInterval=" + refreshInterval + ", joinTokenTtl=" + joinTokenTtl + ", joinTimeout=" + joinTimeout
        + ", streamBuffer=" + streamBuffer + ", inboundWindow=" + inboundWindow + ", outboundThreshold="
        + outboundThreshold + ", drainGrace=" + drainGrace
        + ", registryLease=" + registryLease + "}";
  }

  /** Builds {@link RelaySettings}; every setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private int maxAllocations = DEFAULT_MAX_ALLOCATIONS;
    private long maxBytesPerSecond = DEFAULT_MAX_BYTES_PER_SECOND;
    private int maxAllocationsPerUser = DEFAULT_MAX_ALLOCATIONS_PER_USER;
    private Duration allocationTtl = DEFAULT_ALLOCATION_TTL;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private Duration joinTokenTtl = DEFAULT_JOIN_TOKEN_TTL;
    private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
    private long streamBuffer = DEFAULT_STREAM_BUFFER;
    private int inboundWindow = DEFAULT_INBOUND_WINDOW;
    private int outboundThreshold = DEFAULT_OUTBOUND_THRESHOLD;
    private Duration drainGrace = DEFAULT_DRAIN_GRACE;
    private Duration registryLease = DEFAULT_REGISTRY_LEASE;

    private Builder() {
    }

    public Builder maxAllocations(int n) {
      this.maxAllocations = positive("maxAllocations", n);
      return this;
    }

    public Builder maxBytesPerSecond(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxBytesPerSecond: " + n + " (expected: > 0)");
      }
      this.maxBytesPerSecond = n;
      return this;
    }

    public Builder maxAllocationsPerUser(int n) {
      this.maxAllocationsPerUser = positive("maxAllocationsPerUser", n);
      return this;
    }

    public Builder allocationTtl(Duration d) {
      this.allocationTtl = within("allocationTtl", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder refreshInterval(Duration d) {
      this.refreshInterval = within("refreshInterval", d, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    public Builder joinTokenTtl(Duration d) {
      this.joinTokenTtl = within("joinTokenTtl", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder joinTimeout(Duration d) {
      this.joinTimeout = within("joinTimeout", d, Duration.ofMillis(10), Duration.ofMinutes(10));
      return this;
    }

    public Builder streamBuffer(long bytes) {
      long min = RelaySettings.MAX_FRAME_BYTES + 1024;
      if (bytes < min) {
        throw new IllegalArgumentException("streamBuffer: " + bytes + " (expected: ≥ " + min + " bytes, one frame)");
      }
      this.streamBuffer = bytes;
      return this;
    }

    public Builder inboundWindow(int bytes) {
      // HTTP/2 requires a window of at least the default 64 KiB - 1 for a peer to make progress with full frames.
      if (bytes < MAX_MESSAGE_BYTES) {
        throw new IllegalArgumentException("inboundWindow: " + bytes + " (expected: ≥ " + MAX_MESSAGE_BYTES + ")");
      }
      this.inboundWindow = bytes;
      return this;
    }

    public Builder outboundThreshold(int bytes) {
      // grpc-java's own default; lower only adds wake-ups.
      if (bytes < 32 * 1024) {
        throw new IllegalArgumentException("outboundThreshold: " + bytes + " (expected: ≥ 32768)");
      }
      this.outboundThreshold = bytes;
      return this;
    }

    public Builder drainGrace(Duration d) {
      this.drainGrace = within("drainGrace", d, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    public Builder registryLease(Duration d) {
      this.registryLease = within("registryLease", d, Duration.ofMillis(300), Duration.ofMinutes(10));
      return this;
    }

    /** @throws IllegalArgumentException if the settings contradict each other (named in the message) */
    public RelaySettings build() {
      long memory = streamBuffer + inboundWindow + outboundThreshold + MAX_MESSAGE_BYTES;
      if (memory > MAX_STREAM_MEMORY) {
        throw new IllegalArgumentException("streamBuffer + inboundWindow + outboundThreshold: " + streamBuffer
            + " + " + inboundWindow + " + " + outboundThreshold + " bytes (expected: ≤ "
            + (MAX_STREAM_MEMORY - MAX_MESSAGE_BYTES) + " together, so that a stream never holds more than 1 MiB)");
      }
      if (refreshInterval.multipliedBy(2).compareTo(allocationTtl) > 0) {
        throw new IllegalArgumentException("refreshInterval: " + refreshInterval
            + " (expected: ≤ half of allocationTtl " + allocationTtl + ")");
      }
      if (joinTokenTtl.compareTo(allocationTtl) > 0) {
        throw new IllegalArgumentException("joinTokenTtl: " + joinTokenTtl + " (expected: ≤ allocationTtl "
            + allocationTtl + ")");
      }
      return new RelaySettings(this);
    }

    private static int positive(String name, int n) {
      if (n <= 0) {
        throw new IllegalArgumentException(name + ": " + n + " (expected: > 0)");
      }
      return n;
    }

    private static Duration within(String name, Duration d, Duration min, Duration max) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: " + min + " .. " + max + ")");
      }
      return d;
    }
  }
}
