package dev.stampede.admission;

import dev.stampede.admission.calendar.LocalRetryCalendar;
import dev.stampede.admission.limit.LimitAlgorithm;
import dev.stampede.admission.limit.PriorityShares;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.queue.QueueTimePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of admission control, with the defaults documented in {@code admission/README.md} (the same
 * values as {@code stampede.admission.*} in Quarkus). Immutable; build with {@link #builder()}.
 */
public final class AdmissionConfig {
  public static final LimitAlgorithm DEFAULT_ALGORITHM = LimitAlgorithm.VEGAS;
  public static final int DEFAULT_INITIAL_LIMIT = 20;
  public static final int DEFAULT_MIN_LIMIT = 1;
  public static final int DEFAULT_MAX_LIMIT = 1000;
  public static final int DEFAULT_QUEUE_CAPACITY = AdmissionController.Builder.DEFAULT_QUEUE_CAPACITY;
  public static final int DEFAULT_MAX_STREAMS = 10_000;
  public static final Duration DEFAULT_DEPENDENCY_RETRY_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CLUSTER_CALENDAR_TIMEOUT = Duration.ofMillis(20);

  private final boolean enabled;
  private final LimitAlgorithm algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final int vegasProbeMultiplier;
  private final PriorityShares shares;
  private final int queueCapacity;
  private final QueueTimePolicy queueTime;
  private final int maxStreams;
  private final Duration calendarSlot;
  private final Duration calendarHorizon;
  private final Duration calendarMinDelay;
  private final double calendarShare;
  private final double calendarMinRate;
  private final boolean clusterCalendar;
  private final Duration clusterCalendarTimeout;
  private final boolean retryBookings;
  private final Duration dependencyRetryDelay;

  private AdmissionConfig(Builder b) {
    this.enabled = b.enabled;
    this.algorithm = b.algorithm;
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.vegasProbeMultiplier = b.vegasProbeMultiplier;
    this.shares = b.shares;
    this.queueCapacity = b.queueCapacity;
    this.queueTime = b.queueTime;
    this.maxStreams = b.maxStreams;
    this.calendarSlot = b.calendarSlot;
    this.calendarHorizon = b.calendarHorizon;
    this.calendarMinDelay = b.calendarMinDelay != null ? b.calendarMinDelay : b.calendarSlot;
    this.calendarShare = b.calendarShare;
    this.calendarMinRate = b.calendarMinRate;
    this.clusterCalendar = b.clusterCalendar;
    this.clusterCalendarTimeout = b.clusterCalendarTimeout;
    this.retryBookings = b.retryBookings;
    this.dependencyRetryDelay = b.dependencyRetryDelay;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults, admission on. */
  public static AdmissionConfig defaults() {
    return builder().build();
  }

  /**
   * Whether admission is on. Off is the naive server: no limit, no queue bound, no deadline checks, no pushback,
   * and worker pools with unbounded queues.
   */
  public boolean enabled() {
    return enabled;
  }

  public LimitAlgorithm algorithm() {
    return algorithm;
  }

  public int initialLimit() {
    return initialLimit;
  }

  public int minLimit() {
    return minLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  /** How often Vegas re-measures its no-load RTT, in multiples of the limit; 0 = never (see AdaptiveLimit). */
  public int vegasProbeMultiplier() {
    return vegasProbeMultiplier;
  }

  public PriorityShares shares() {
    return shares;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public QueueTimePolicy queueTime() {
    return queueTime;
  }

  /** Streams (client, server or bidi streaming calls) open at once, across priorities. */
  public int maxStreams() {
    return maxStreams;
  }

  public Duration calendarSlot() {
    return calendarSlot;
  }

  public Duration calendarHorizon() {
    return calendarHorizon;
  }

  public Duration calendarMinDelay() {
    return calendarMinDelay;
  }

  public double calendarShare() {
    return calendarShare;
  }

  public double calendarMinRate() {
    return calendarMinRate;
  }

  /** Whether the retry calendar is shared through Redis by every replica of the service. */
  public boolean clusterCalendar() {
    return clusterCalendar;
  }

  public Duration clusterCalendarTimeout() {
    return clusterCalendarTimeout;
  }

  /**
   * Whether refusals carry a signed booking of their retry slot and calls that bring it back when due wait in the
   * booked lane ({@code grpc.RetryBookings}).
   */
  public boolean retryBookings() {
    return retryBookings;
  }

  /** The shortest delay handed to clients when a dependency (Redis) is down. */
  public Duration dependencyRetryDelay() {
    return dependencyRetryDelay;
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.algorithm = algorithm;
    b.initialLimit = initialLimit;
    b.minLimit = minLimit;
    b.maxLimit = maxLimit;
    b.vegasProbeMultiplier = vegasProbeMultiplier;
    b.shares = shares;
    b.queueCapacity = queueCapacity;
    b.queueTime = queueTime;
    b.maxStreams = maxStreams;
    b.calendarSlot = calendarSlot;
    b.calendarHorizon = calendarHorizon;
    b.calendarMinDelay = calendarMinDelay;
    b.calendarShare = calendarShare;
    b.calendarMinRate = calendarMinRate;
    b.clusterCalendar = clusterCalendar;
    b.clusterCalendarTimeout = clusterCalendarTimeout;
    b.retryBookings = retryBookings;
    b.dependencyRetryDelay = dependencyRetryDelay;
    return b;
  }

  @Override
  public String toString() {
    return "AdmissionConfig[enabled=" + enabled + " " + algorithm.label() + " " + initialLimit + " [" + minLimit
        + ".." + maxLimit + "] " + shares + " queue=" + queueCapacity + " " + queueTime + " streams=" + maxStreams
        + " calendar=" + calendarSlot + "/" + calendarHorizon + (clusterCalendar ? " cluster" : "")
        + (retryBookings ? " bookings" : "") + "]";
  }

  /** Builds an {@link AdmissionConfig}; setters validate their argument. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private LimitAlgorithm algorithm = DEFAULT_ALGORITHM;
    private int initialLimit = DEFAULT_INITIAL_LIMIT;
    private int minLimit = DEFAULT_MIN_LIMIT;
    private int maxLimit = DEFAULT_MAX_LIMIT;
    private int vegasProbeMultiplier;
    private PriorityShares shares = PriorityShares.DEFAULT;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private QueueTimePolicy queueTime = QueueTimePolicy.defaults();
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private Duration calendarSlot = LocalRetryCalendar.DEFAULT_SLOT;
    private Duration calendarHorizon = LocalRetryCalendar.DEFAULT_HORIZON;
    private Duration calendarMinDelay;
    private double calendarShare = LocalRetryCalendar.DEFAULT_SHARE;
    private double calendarMinRate = LocalRetryCalendar.DEFAULT_MIN_RATE;
    private boolean clusterCalendar;
    private Duration clusterCalendarTimeout = DEFAULT_CLUSTER_CALENDAR_TIMEOUT;
    private boolean retryBookings = true;
    private Duration dependencyRetryDelay = DEFAULT_DEPENDENCY_RETRY_DELAY;

    private Builder() {
    }

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder algorithm(LimitAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "limit.algorithm");
      return this;
    }

    /** Starting limit (the fixed limit for {@link LimitAlgorithm#FIXED}); default 20. */
    public Builder initialLimit(int initialLimit) {
      this.initialLimit = atLeast("limit.initial", initialLimit, 1);
      return this;
    }

    public Builder minLimit(int minLimit) {
      this.minLimit = atLeast("limit.min", minLimit, 1);
      return this;
    }

    public Builder maxLimit(int maxLimit) {
      this.maxLimit = atLeast("limit.max", maxLimit, 1);
      return this;
    }

    /** Vegas re-probes its no-load RTT every {@code multiplier × limit} samples; 0 (default) = never. */
    public Builder vegasProbeMultiplier(int multiplier) {
      this.vegasProbeMultiplier = atLeast("limit.vegas-probe-multiplier", multiplier, 0);
      return this;
    }

    public Builder shares(PriorityShares shares) {
      this.shares = Objects.requireNonNull(shares, "shares");
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = atLeast("queue.capacity", queueCapacity, 0);
      return this;
    }

    public Builder queueTime(QueueTimePolicy queueTime) {
      this.queueTime = Objects.requireNonNull(queueTime, "queueTime");
      return this;
    }

    public Builder maxStreams(int maxStreams) {
      this.maxStreams = atLeast("streams.max-concurrent", maxStreams, 1);
      return this;
    }

    public Builder calendarSlot(Duration slot) {
      this.calendarSlot = positive("calendar.slot", slot);
      return this;
    }

    public Builder calendarHorizon(Duration horizon) {
      this.calendarHorizon = positive("calendar.horizon", horizon);
      return this;
    }

    public Builder calendarMinDelay(Duration minDelay) {
      Objects.requireNonNull(minDelay, "calendar.min-delay");
      if (minDelay.isNegative()) {
        throw new IllegalArgumentException("calendar.min-delay: " + minDelay + " (expected: >= 0)");
      }
      this.calendarMinDelay = minDelay;
      return this;
    }

    public Builder calendarShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("calendar.share: " + share + " (expected: (0, 1])");
      }
      this.calendarShare = share;
      return this;
    }

    public Builder calendarMinRate(double minRate) {
      if (!(minRate > 0)) {
        throw new IllegalArgumentException("calendar.min-rate: " + minRate + " (expected: > 0)");
      }
      this.calendarMinRate = minRate;
      return this;
    }

    public Builder clusterCalendar(boolean clusterCalendar) {
      this.clusterCalendar = clusterCalendar;
      return this;
    }

    public Builder clusterCalendarTimeout(Duration timeout) {
      this.clusterCalendarTimeout = positive("calendar.cluster-timeout", timeout);
      return this;
    }

    /** Signed retry bookings on refusals, honoured when due; default on. */
    public Builder retryBookings(boolean retryBookings) {
      this.retryBookings = retryBookings;
      return this;
    }

    public Builder dependencyRetryDelay(Duration delay) {
      this.dependencyRetryDelay = positive("dependency-retry-delay", delay);
      return this;
    }

    /**
     * Builds the config.
     *
     * @throws IllegalArgumentException if the limits are inconsistent ({@code min <= initial <= max}) or the
     *     horizon is shorter than a slot
     */
    public AdmissionConfig build() {
      if (algorithm != LimitAlgorithm.FIXED && !(minLimit <= initialLimit && initialLimit <= maxLimit)) {
        throw new IllegalArgumentException("limit: min " + minLimit + ", initial " + initialLimit + ", max "
            + maxLimit + " (expected: min <= initial <= max)");
      }
      if (calendarHorizon.compareTo(calendarSlot) < 0) {
        throw new IllegalArgumentException(
            "calendar.horizon: " + calendarHorizon + " (expected: >= calendar.slot " + calendarSlot + ")");
      }
      return new AdmissionConfig(this);
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
      }
      return value;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
