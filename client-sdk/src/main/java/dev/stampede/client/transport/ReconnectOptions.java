package dev.stampede.client.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast a client reconnects to a server that refused or dropped its connection. Immutable; build with
 * {@link #builder()}.
 *
 * <p>The trade-off: a refused TCP connection costs a restarting pod almost nothing, and every second a client
 * sleeps after the pod is back adds a second to recovery, so the default cap is short (1 s, ±20 % jitter) —
 * against gRPC's own connection backoff, which grows to 120 s. At internet scale with TLS, every reconnect that
 * reaches a live server costs a handshake (a millisecond or two of server CPU); raise the cap where a fleet of
 * millions shares few servers.
 */
public final class ReconnectOptions {
  /** First wait after a connection failed. */
  public static final Duration DEFAULT_INITIAL = Duration.ofMillis(100);
  /** Growth per failed reconnect (gRPC connection backoff: 1.6). */
  public static final double DEFAULT_MULTIPLIER = 1.6;
  /** Jitter around each wait (gRPC connection backoff: 0.2). */
  public static final double DEFAULT_JITTER = 0.2;
  /** Longest wait between reconnects. */
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(1);
  /** TCP connect timeout; a black-holed address (a deleted pod's IP) fails after this. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final ReconnectOptions DEFAULTS = builder().build();

  private final boolean enabled;
  private final Duration initial;
  private final double multiplier;
  private final double jitter;
  private final Duration cap;
  private final Duration connectTimeout;

  private ReconnectOptions(Builder b) {
    this.enabled = b.enabled;
    this.initial = b.initial;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.cap = b.cap;
    this.connectTimeout = b.connectTimeout;
  }

  public static ReconnectOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the pacer runs (off: gRPC's own connection backoff alone, up to 120 s). */
  public boolean enabled() {
    return enabled;
  }

  public Duration initial() {
    return initial;
  }

  public double multiplier() {
    return multiplier;
  }

  public double jitter() {
    return jitter;
  }

  public Duration cap() {
    return cap;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public String toString() {
    return enabled ? "ReconnectOptions{" + initial + "..." + cap + " x" + multiplier + " ±" + jitter
        + ", connectTimeout=" + connectTimeout + "}" : "ReconnectOptions{grpc default}";
  }

  /** Builds {@link ReconnectOptions}; setters validate. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration initial = DEFAULT_INITIAL;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Duration cap = DEFAULT_CAP;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Builder() {
    }

    /** Waits grow from {@code initial} by {@code multiplier} up to {@code cap}, each scaled by 1 ± jitter. */
    public Builder backoff(Duration initial, Duration cap, double multiplier, double jitter) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(cap, "cap");
      // Validates every argument with the same messages as the schedule it configures.
      dev.stampede.client.retry.Backoff.proportionalJitter(initial, cap, multiplier, jitter, () -> 0L);
      this.initial = initial;
      this.cap = cap;
      this.multiplier = multiplier;
      this.jitter = jitter;
      return this;
    }

    /** Only the cap, keeping the other defaults (the initial wait is lowered to the cap if above it). */
    public Builder cap(Duration cap) {
      Objects.requireNonNull(cap, "cap");
      if (cap.isNegative() || cap.isZero()) {
        throw new IllegalArgumentException("cap: " + cap + " (expected: > 0)");
      }
      this.cap = cap;
      if (initial.compareTo(cap) > 0) {
        initial = cap;
      }
      return this;
    }

    /** TCP connect timeout of the default transport. */
    public Builder connectTimeout(Duration connectTimeout) {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      if (connectTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: >= 1ms)");
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Leaves reconnecting to gRPC's own connection backoff (1 s growing to 120 s). */
    public Builder disabled() {
      this.enabled = false;
      return this;
    }

    public ReconnectOptions build() {
      return new ReconnectOptions(this);
    }
  }
}
