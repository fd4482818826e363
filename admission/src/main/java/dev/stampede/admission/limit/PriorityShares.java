package dev.stampede.admission.limit;

import dev.stampede.admission.Priority;
import java.util.Arrays;

/**
 * Shares of the concurrency limit reserved per priority: slots that only calls of that priority or higher may use.
 * With a limit {@code L} and reserved share {@code s(q)}, a call of priority {@code p} is admitted only while
 *
 * <pre>
 *   inflight + 1 + headroom(p) &lt;= L,   headroom(p) = min(L - 1, sum over q above p of max(0, ceil(s(q)·L) - inflight(q)))
 * </pre>
 *
 * so the unused reservation of every higher class stays free. {@code ceil} gives any positive share at least one
 * slot, so CRITICAL is never starved even at tiny limits; the cap {@code L - 1} leaves every class at least one slot
 * when the classes above it are idle, so a class can always be served (and measured) when nobody more important
 * needs the server. Without in-flight caps the rule is monotone: if a class cannot be admitted, no lower class can.
 *
 * <p>A class may also have an <b>in-flight cap</b> ({@link #withMaxInflight}): at most that many of its calls at once,
 * whatever the limit. It is for work bounded by something other than the limit — auth's log-ins by a hashing pool
 * of one thread per core — so that the limit can be sized for the cheap calls beside them. A class at its cap waits;
 * the classes below it may still be admitted. Immutable.
 */
public final class PriorityShares {
  /** Defaults: CRITICAL 10 %, RESUME 20 %, LOGIN 10 %, SHEDDABLE 0 (it may use whatever is free); no caps. */
  public static final PriorityShares DEFAULT = of(0.10, 0.20, 0.10, 0.0);

  private final double[] shares;
  /** In-flight cap per priority; 0 = none. */
  private final int[] caps;

  private PriorityShares(double[] shares, int[] caps) {
    this.shares = shares;
    this.caps = caps;
  }

  /**
   * Shares in priority order (CRITICAL, RESUME, LOGIN, SHEDDABLE).
   *
   * @throws IllegalArgumentException if a share is outside [0, 1] or they sum to more than 1
   */
  public static PriorityShares of(double critical, double resume, double login, double sheddable) {
    double[] s = {critical, resume, login, sheddable};
    double sum = 0;
    for (Priority p : Priority.values()) {
      double v = s[p.ordinal()];
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(
            p.label() + ".reserved-share: " + v + " (expected: 0.0..1.0)");
      }
      sum += v;
    }
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("reserved-share: the four shares sum to " + sum + " (expected: <= 1.0)");
    }
    return new PriorityShares(s, new int[s.length]);
  }

  /**
   * These shares with at most {@code max} calls of priority {@code p} in flight at once (0 removes the cap).
   *
   * @throws IllegalArgumentException if {@code max} is negative
   */
  public PriorityShares withMaxInflight(Priority p, int max) {
    if (max < 0) {
      throw new IllegalArgumentException(p.label() + ".max-inflight: " + max + " (expected: >= 1, or 0 for none)");
    }
    int[] c = caps.clone();
    c[p.ordinal()] = max;
    return new PriorityShares(shares, c);
  }

  /** The in-flight cap of {@code p}; 0 = none. */
  public int maxInflight(Priority p) {
    return caps[p.ordinal()];
  }

  /** Whether {@code p} has as many calls in flight as its cap allows. */
  public boolean atCap(Priority p, int[] inflightByPriority) {
    int cap = caps[p.ordinal()];
    return cap > 0 && inflightByPriority[p.ordinal()] >= cap;
  }

  /** No reservations: every class competes for the whole limit (strict priority still applies in the queue). */
  public static PriorityShares none() {
    return of(0, 0, 0, 0);
  }

  public double share(Priority p) {
    return shares[p.ordinal()];
  }

  /** Slots reserved for {@code p} under {@code limit}: never more than its in-flight cap, which it could not use. */
  public int reservedSlots(Priority p, int limit) {
    double s = shares[p.ordinal()];
    int reserved = s <= 0 ? 0 : (int) Math.ceil(s * limit - 1e-9);
    int cap = caps[p.ordinal()];
    return cap > 0 ? Math.min(cap, reserved) : reserved;
  }

  /**
   * Whether one more call of priority {@code p} fits.
   *
   * @param inflightByPriority in-flight calls per priority (indexed by ordinal)
   */
  public boolean canAdmit(Priority p, int limit, int inflight, int[] inflightByPriority) {
    if (inflight >= limit || atCap(p, inflightByPriority)) {
      return false;
    }
    int headroom = 0;
    for (int q = 0; q < p.ordinal(); q++) {
      int reserved = reservedSlots(Priority.ofOrdinal(q), limit);
      headroom += Math.max(0, reserved - inflightByPriority[q]);
    }
    headroom = Math.min(limit - 1, headroom);
    return inflight + 1 + headroom <= limit;
  }

  @Override
  public String toString() {
    return "PriorityShares" + Arrays.toString(shares) + (Arrays.stream(caps).anyMatch(c -> c > 0)
        ? " max-inflight " + Arrays.toString(caps) : "");
  }
}
