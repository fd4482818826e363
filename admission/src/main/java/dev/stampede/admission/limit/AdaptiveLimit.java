package dev.stampede.admission.limit;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A concurrency limit driven by a {@code concurrency-limits-core} {@link Limit} algorithm, with the sample rules
 * that keep it honest:
 *
 * <ul>
 *   <li>only calls that were admitted and did their work produce samples ({@link #onSuccess}); a rejected call
 *       never reaches the algorithm, so cheap rejections never read as fast RTTs;</li>
 *   <li>a call that was admitted but did not finish its work (client gone, deadline passed, shed downstream) is a
 *       drop ({@link #onDropped}): algorithms that honour drops (Vegas) reduce the limit; for Gradient2, which in
 *       0.5.4 ignores the drop flag, the sample is discarded rather than fed as a misleadingly fast RTT;</li>
 *   <li>everything else (dependency down, bugs) is ignored ({@link #onIgnore}).</li>
 * </ul>
 *
 * <p>Thread-safe: the underlying algorithms synchronise their updates.
 */
public final class AdaptiveLimit {
  private final Limit limit;
  private final LimitAlgorithm algorithm;
  private final int maxLimit;

  private AdaptiveLimit(Limit limit, LimitAlgorithm algorithm, int maxLimit) {
    this.limit = limit;
    this.algorithm = algorithm;
    this.maxLimit = maxLimit;
  }

  /**
   * Builds the algorithm's limit.
   *
   * @param initial the starting limit (the fixed value for {@link LimitAlgorithm#FIXED})
   * @param min the lowest limit the algorithm may choose ({@code >= 1})
   * @param max the highest limit ({@code >= initial})
   * @throws IllegalArgumentException if {@code 1 <= min <= initial <= max} does not hold
   */
  public static AdaptiveLimit create(LimitAlgorithm algorithm, int initial, int min, int max) {
    return create(algorithm, initial, min, max, 0);
  }

  /**
   * Builds the algorithm's limit.
   *
   * @param vegasProbeMultiplier Vegas re-measures its no-load RTT every {@code multiplier × limit} samples; 0 (the
   *     default) never does, so the no-load RTT is the lowest RTT seen (TCP Vegas' BaseRTT). Re-probing takes the
   *     current RTT as the new no-load RTT, which under sustained overload is a queued RTT: each probe then lets the
   *     limit, and the queueing delay, ratchet up by a few calls. The price of never probing: if a dependency
   *     becomes slower for good, Vegas keeps a smaller limit (it still keeps 2-4 calls of queue).
   */
  public static AdaptiveLimit create(LimitAlgorithm algorithm, int initial, int min, int max,
      int vegasProbeMultiplier) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (min < 1) {
      throw new IllegalArgumentException("limit.min: " + min + " (expected: >= 1)");
    }
    if (initial < min) {
      throw new IllegalArgumentException("limit.initial: " + initial + " (expected: >= limit.min " + min + ")");
    }
    if (max < initial) {
      throw new IllegalArgumentException("limit.max: " + max + " (expected: >= limit.initial " + initial + ")");
    }
    switch (algorithm) {
      case FIXED:
        return new AdaptiveLimit(FixedLimit.of(initial), algorithm, initial);
      case GRADIENT2:
        return new AdaptiveLimit(Gradient2Limit.newBuilder()
            .initialLimit(initial)
            .minLimit(min)
            .maxConcurrency(max)
            // Growth per sample: sqrt-ish, at least 1, so small limits (a one-thread pool) can still move.
            .queueSizeFunction(l -> Math.max(1, (int) Math.sqrt(l)))
            .build(), algorithm, max);
      case VEGAS:
      default:
        if (vegasProbeMultiplier < 0) {
          throw new IllegalArgumentException(
              "limit.vegas-probe-multiplier: " + vegasProbeMultiplier + " (expected: >= 0, 0 = never)");
        }
        return new AdaptiveLimit(vegas(initial, min, max, vegasProbeMultiplier), algorithm, max);
    }
  }

  /**
   * Vegas with step functions that still work at small limits. The library defaults are multiples of
   * {@code log10(limit)}, which is 0 below 10: a service whose natural concurrency is 2 (a one-thread worker pool)
   * would never move. Here alpha/beta/threshold keep TCP Vegas' classic 2-3 / 4-6 packets as a floor.
   */
  private static Limit vegas(int initial, int min, int max, int probeMultiplier) {
    IntUnaryOperator log10 = l -> (int) Math.log10(Math.max(1, l));
    return VegasLimit.newBuilder()
        .initialLimit(initial)
        .maxConcurrency(max)
        .probeMultiplier(probeMultiplier == 0 ? Integer.MAX_VALUE : probeMultiplier)
        .alphaFunction(l -> Math.max(2, 3 * log10.applyAsInt(l)))
        .betaFunction(l -> Math.max(4, 6 * log10.applyAsInt(l)))
        .thresholdFunction(l -> Math.max(1, log10.applyAsInt(l)))
        .increaseFunction(l -> l + Math.max(1, log10.applyAsInt((int) l)))
        .decreaseFunction(l -> Math.max(min, l - Math.max(1, log10.applyAsInt((int) l))))
        .build();
  }

  /** Wraps an existing algorithm (for tests and custom algorithms); drops are passed on as drops. */
  public static AdaptiveLimit wrap(Limit limit, int maxLimit) {
    return new AdaptiveLimit(Objects.requireNonNull(limit, "limit"), LimitAlgorithm.VEGAS, maxLimit);
  }

  /** The current limit ({@code >= 1}). */
  public int current() {
    return Math.max(1, limit.getLimit());
  }

  public int max() {
    return maxLimit;
  }

  public LimitAlgorithm algorithm() {
    return algorithm;
  }

  /** An admitted call finished its work after {@code rttNanos}; {@code inflight} counted when it started. */
  public void onSuccess(long startNanos, long rttNanos, int inflight) {
    limit.onSample(startNanos, Math.max(1, rttNanos), inflight, false);
  }

  /** An admitted call did not finish its work (client gone, deadline passed, shed downstream). */
  public void onDropped(long startNanos, long rttNanos, int inflight) {
    if (algorithm == LimitAlgorithm.GRADIENT2) {
      // Gradient2 (0.5.4) ignores didDrop: the elapsed time of an abandoned call would count as a fast RTT.
      return;
    }
    limit.onSample(startNanos, Math.max(1, rttNanos), inflight, true);
  }

  /** A call whose outcome says nothing about this server's congestion. */
  public void onIgnore() {
    // Nothing to feed: the point is that the algorithm never sees it.
  }

  @Override
  public String toString() {
    return algorithm.label() + " limit " + current();
  }
}
