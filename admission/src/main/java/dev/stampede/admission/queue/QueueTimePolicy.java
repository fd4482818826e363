package dev.stampede.admission.queue;

import dev.stampede.admission.Priority;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How long a call may wait in the admission queue: CoDel in the form Facebook runs it in front of its servers
 * (Maurer, "Fail at Scale", 2015, after Nichols &amp; Jacobson's CoDel). When the queue has not been empty at any
 * moment during the last {@code interval}, the server is overloaded and a call may wait only {@code target};
 * otherwise it may wait {@code maxQueueTime} (per priority), which absorbs a burst. Under overload the newest call is
 * served first (adaptive LIFO): it has the most deadline left, while the oldest ones are timed out. Work slower than
 * the target may wait about one of its own service times under overload, and work slower than the interval its
 * priority's maximum (see {@link #allowedNanos(Priority, boolean, long)}). Immutable.
 */
public final class QueueTimePolicy {
  /** CoDel: 5 ms target over a 100 ms interval (Nichols &amp; Jacobson; Maurer). */
  public static final Duration DEFAULT_TARGET = Duration.ofMillis(5);
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
  /** How long a burst may wait when the server is not overloaded. */
  public static final Duration DEFAULT_MAX_QUEUE_TIME = Duration.ofMillis(100);
  /** How long a call that came back for its booked retry slot may wait, overloaded or not. */
  public static final Duration DEFAULT_BOOKED_MAX_QUEUE_TIME = Duration.ofSeconds(2);

  private final long targetNanos;
  private final long intervalNanos;
  private final long[] maxQueueNanos;
  private final boolean lifoWhenOverloaded;
  private final long bookedMaxNanos;
  private final long[] holdMaxNanos;

  private QueueTimePolicy(Builder b) {
    this.targetNanos = b.target.toNanos();
    this.intervalNanos = b.interval.toNanos();
    this.maxQueueNanos = new long[Priority.values().length];
    for (Priority p : Priority.values()) {
      Duration d = b.maxQueueTime[p.ordinal()] != null ? b.maxQueueTime[p.ordinal()] : b.defaultMaxQueueTime;
      maxQueueNanos[p.ordinal()] = d.toNanos();
    }
    this.lifoWhenOverloaded = b.lifoWhenOverloaded;
    this.bookedMaxNanos = b.bookedMaxQueueTime.toNanos();
    this.holdMaxNanos = b.holdMaxNanos.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static QueueTimePolicy defaults() {
    return builder().build();
  }

  /** Whether a queue that was last empty at {@code lastEmptyNanos} means overload at {@code nowNanos}. */
  public boolean overloaded(long nowNanos, long lastEmptyNanos) {
    return nowNanos - lastEmptyNanos >= intervalNanos;
  }

  /** How long a call of {@code priority} may wait (its service time unknown). */
  public long allowedNanos(Priority priority, boolean overloaded) {
    return allowedNanos(priority, overloaded, 0);
  }

  /**
   * How long a call of {@code priority} whose work takes about {@code expectedServiceNanos} may wait. Under
   * overload that is the target, or the service time when it is longer (never more than the priority's maximum):
   * CoDel's target assumes work much shorter than it. For work that holds a permit for 50 ms, a 5 ms allowance
   * empties the queue long before the next permit frees, so the freed worker finds nobody waiting and idles while
   * callers are refused — goodput falls below capacity exactly when it matters. One service time of waiting is what
   * keeps such a worker busy; with adaptive LIFO the newest of them are served first.
   *
   * <p>Work that takes at least a whole {@code interval} keeps its priority's maximum: for it CoDel's signal says
   * nothing (a queue in front of it is never empty for an interval as long as one call waits), and its arrivals come
   * in waves — clients rebooted together retry together. A queue allowed one service time (a password log-in: ~0.5 s
   * in flight) took ~25 of each wave of 80 log-ins and refused the rest at once; they all came back together after
   * their fixed retry delay, and in between the hashing threads idled (goodput 0.3–0.66 of capacity in the
   * admission-only storm). Such a queue stays bounded by the maximum, by its capacity and by each call's deadline.
   */
  public long allowedNanos(Priority priority, boolean overloaded, long expectedServiceNanos) {
    long max = maxQueueNanos[priority.ordinal()];
    if (!overloaded || expectedServiceNanos >= intervalNanos) {
      return max;
    }
    return Math.min(Math.max(targetNanos, expectedServiceNanos), max);
  }

  /**
   * How long a call that holds a due retry booking may wait: at least {@link #bookedMaxNanos()}. The server
   * promised it this moment; if the server is slower than its calendar assumed, waiting a little costs the client
   * less than a second refusal and the trip back, and costs the server nothing (the call's message is not read
   * while it waits). Booked calls are served first within their priority, in arrival order.
   */
  public long allowedNanos(Priority priority, boolean overloaded, long expectedServiceNanos, boolean booked) {
    long allowed = allowedNanos(priority, overloaded, expectedServiceNanos);
    return booked ? Math.max(allowed, bookedMaxNanos) : allowed;
  }

  /** The queue time a call with a due booking is allowed at least. */
  public long bookedMaxNanos() {
    return bookedMaxNanos;
  }

  /**
   * How far ahead a retry slot of {@code priority} may lie for the server to hold the call instead of refusing it
   * (0 = never hold, the default). A call that has waited its allowance would be refused and told to come back at
   * the retry calendar's earliest free slot; if that slot is at most this far ahead (and the call's deadline leaves
   * time for it), the server books the slot and keeps the call in the booked lane of its priority, as if it had come
   * back with its booking: one request instead of two for the same wait. Meant for cheap work whose clients always
   * come back (returning clients), when a burst meets a pod whose capacity the calendar can see: a restarted pod
   * that every waiting client reaches at once. Under sustained overload the calendar fills past this horizon within
   * it, and calls are refused as before.
   */
  public long holdMaxNanos(Priority priority) {
    return holdMaxNanos[priority.ordinal()];
  }

  public boolean lifo(boolean overloaded) {
    return overloaded && lifoWhenOverloaded;
  }

  public long targetNanos() {
    return targetNanos;
  }

  public long intervalNanos() {
    return intervalNanos;
  }

  @Override
  public String toString() {
    return "QueueTimePolicy[target=" + targetNanos / 1_000 + "us interval=" + intervalNanos / 1_000
        + "us max=" + Arrays.toString(maxQueueNanos) + "ns lifo=" + lifoWhenOverloaded + " booked="
        + bookedMaxNanos / 1_000_000 + "ms hold=" + Arrays.toString(holdMaxNanos) + "ns]";
  }

  /** Builds a {@link QueueTimePolicy}. Not thread-safe. */
  public static final class Builder {
    private Duration target = DEFAULT_TARGET;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration defaultMaxQueueTime = DEFAULT_MAX_QUEUE_TIME;
    private final Duration[] maxQueueTime = new Duration[Priority.values().length];
    private boolean lifoWhenOverloaded = true;
    private Duration bookedMaxQueueTime = DEFAULT_BOOKED_MAX_QUEUE_TIME;
    private final long[] holdMaxNanos = new long[Priority.values().length];

    private Builder() {
    }

    /** How far ahead a retry slot may lie for a call of {@code priority} to be held; default 0 (never). */
    public Builder holdMaxTime(Priority priority, Duration holdMaxTime) {
      Objects.requireNonNull(holdMaxTime, priority.label() + ".hold-max-time");
      if (holdMaxTime.isNegative()) {
        throw new IllegalArgumentException(
            priority.label() + ".hold-max-time: " + holdMaxTime + " (expected: >= 0)");
      }
      this.holdMaxNanos[priority.ordinal()] = holdMaxTime.toNanos();
      return this;
    }

    /** Queue time allowed to a call that came back with a due retry booking; default 2 s. */
    public Builder bookedMaxQueueTime(Duration bookedMaxQueueTime) {
      this.bookedMaxQueueTime = positive("queue.booked-max-time", bookedMaxQueueTime);
      return this;
    }

    /** Queue time allowed while overloaded; default {@value} 5 ms. */
    public Builder target(Duration target) {
      this.target = positive("queue.target", target);
      return this;
    }

    /** How long the queue must stay non-empty to count as overload; default 100 ms. */
    public Builder interval(Duration interval) {
      this.interval = positive("queue.interval", interval);
      return this;
    }

    /** Queue time allowed when not overloaded, for every priority without its own value; default 100 ms. */
    public Builder maxQueueTime(Duration maxQueueTime) {
      this.defaultMaxQueueTime = positive("queue.max-time", maxQueueTime);
      return this;
    }

    /** Queue time allowed for {@code priority} when not overloaded (e.g. {@code login.max-queue-time}). */
    public Builder maxQueueTime(Priority priority, Duration maxQueueTime) {
      this.maxQueueTime[priority.ordinal()] = positive(priority.label() + ".max-queue-time", maxQueueTime);
      return this;
    }

    /** Serve the newest call first while overloaded; default true. */
    public Builder lifoWhenOverloaded(boolean lifo) {
      this.lifoWhenOverloaded = lifo;
      return this;
    }

    public QueueTimePolicy build() {
      return new QueueTimePolicy(this);
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
