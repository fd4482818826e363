package dev.stampede.bench.load;

import io.grpc.Status;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured inside its window (warm-up excluded): logical requests, attempts, successes, failures
 * by status code, and the latency of successful attempts (HdrHistogram, microseconds). Immutable.
 */
public final class LoadResult {
  private final long windowNanos;
  private final long arrivals;
  private final long attempts;
  private final long successes;
  private final long gaveUp;
  private final long dropped;
  private final Map<Status.Code, Long> failures;
  private final Histogram latencyMicros;
  private final long maxLagNanos;

  LoadResult(long windowNanos, long arrivals, long attempts, long successes, long gaveUp, long dropped,
      Map<Status.Code, Long> failures, Histogram latencyMicros, long maxLagNanos) {
    this.maxLagNanos = maxLagNanos;
    this.windowNanos = windowNanos;
    this.arrivals = arrivals;
    this.attempts = attempts;
    this.successes = successes;
    this.gaveUp = gaveUp;
    this.dropped = dropped;
    this.failures = Collections.unmodifiableMap(new EnumMap<>(failures));
    this.latencyMicros = latencyMicros;
  }

  /** Length of the measurement window in seconds. */
  public double windowSeconds() {
    return windowNanos / 1e9;
  }

  /** Logical requests that started in the window. */
  public long arrivals() {
    return arrivals;
  }

  /** Attempts (first tries and retries) started in the window. */
  public long attempts() {
    return attempts;
  }

  /** Successful attempts that completed in the window. */
  public long successes() {
    return successes;
  }

  /** Logical requests that ran out of attempts in the window. */
  public long gaveUp() {
    return gaveUp;
  }

  /** Open-loop arrivals not sent because too many requests were outstanding (the generator's safety cap). */
  public long dropped() {
    return dropped;
  }

  /** Failed attempts completed in the window, by status code. */
  public Map<Status.Code, Long> failures() {
    return failures;
  }

  public long failures(Status.Code code) {
    return failures.getOrDefault(code, 0L);
  }

  /** Successes per second: throughput for a closed loop, goodput for an open loop. */
  public double rps() {
    return successes / windowSeconds();
  }

  /** Attempts per second. */
  public double attemptRate() {
    return attempts / windowSeconds();
  }

  /** Latency percentile of successful attempts in milliseconds (0 when there were none). */
  public double latencyMillis(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  public double p50Millis() {
    return latencyMillis(50);
  }

  public double p99Millis() {
    return latencyMillis(99);
  }

  /**
   * Open loop: the longest an arrival was sent after its scheduled time, in milliseconds. Large values mean the
   * generator itself could not keep up (a starved machine) and the run measured the generator, not the server.
   */
  public double maxLagMillis() {
    return maxLagNanos / 1e6;
  }

  /** A copy of the latency histogram of successful attempts (microseconds). */
  public Histogram latencyMicros() {
    return latencyMicros.copy();
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%.0f ok/s (%d ok, %d attempts, %d arrivals, %d gave up, %d dropped) p50 %.2f ms p99 %.2f ms failures %s",
        rps(), successes, attempts, arrivals, gaveUp, dropped, p50Millis(), p99Millis(), failures);
  }
}
