package dev.stampede.admission;

import java.util.Objects;

/**
 * How admission treats one gRPC method: its priority, whether it is admitted at all, and whether its latency is a
 * useful signal for the adaptive limit. Immutable.
 *
 * <p>Streaming methods (client, server or bidi streaming, known from the method descriptor) are always admitted
 * at stream start against the stream limit and hold their permit for the stream's life; see {@code README.md}.
 */
public final class MethodPolicy {
  private static final MethodPolicy[] ADMIT = new MethodPolicy[Priority.values().length];

  static {
    for (Priority p : Priority.values()) {
      ADMIT[p.ordinal()] = new MethodPolicy(p, false, true);
    }
  }

  /** Methods that never pass through admission (health checks, reflection). */
  public static final MethodPolicy BYPASS = new MethodPolicy(Priority.CRITICAL, true, false);

  private final Priority priority;
  private final boolean bypass;
  private final boolean feedsLimit;

  private MethodPolicy(Priority priority, boolean bypass, boolean feedsLimit) {
    this.priority = priority;
    this.bypass = bypass;
    this.feedsLimit = feedsLimit;
  }

  /** A method admitted at {@code priority} whose latency feeds the adaptive limit. */
  public static MethodPolicy of(Priority priority) {
    return ADMIT[Objects.requireNonNull(priority, "priority").ordinal()];
  }

  /**
   * A method admitted at {@code priority} whose latency does <em>not</em> feed the adaptive limit: use it for a
   * method whose time is dominated by its own bounded {@code WorkerPool} (e.g. password hashing), so that its
   * 50 ms does not read as congestion next to 200 µs calls. It still holds a permit while it runs.
   */
  public static MethodPolicy withoutLatencySignal(Priority priority) {
    return new MethodPolicy(Objects.requireNonNull(priority, "priority"), false, false);
  }

  public Priority priority() {
    return priority;
  }

  /** Whether calls skip admission entirely (no limit, no queue, no metrics). */
  public boolean bypass() {
    return bypass;
  }

  /** Whether the latency of this method's calls is fed to the adaptive limit. */
  public boolean feedsLimit() {
    return feedsLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodPolicy
        && ((MethodPolicy) o).priority == priority
        && ((MethodPolicy) o).bypass == bypass
        && ((MethodPolicy) o).feedsLimit == feedsLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(priority, bypass, feedsLimit);
  }

  @Override
  public String toString() {
    return bypass ? "bypass" : priority.label() + (feedsLimit ? "" : " (no latency signal)");
  }
}
