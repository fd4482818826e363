package dev.stampede.admission.calendar;

/**
 * Completed work per second over the last second (ten 100 ms buckets), and an exponentially weighted mean latency.
 * This is the "measured throughput" the retry calendar's per-slot budget derives from. Thread-safe (a short lock).
 */
public final class ThroughputMeter {
  private static final int BUCKETS = 10;
  private static final long BUCKET_NANOS = 100_000_000L;
  /** Weight of a new latency sample in the running mean. */
  private static final double RTT_ALPHA = 0.05;

  private final long[] bucketIds = new long[BUCKETS];
  private final long[] counts = new long[BUCKETS];
  private final long[] rttSums = new long[BUCKETS];
  private double meanRttNanos;
  private long completed;

  public ThroughputMeter() {
    java.util.Arrays.fill(bucketIds, Long.MIN_VALUE);
  }

  /** One unit of work completed at {@code nowNanos} after {@code rttNanos}. */
  public synchronized void record(long nowNanos, long rttNanos) {
    long bucket = Math.floorDiv(nowNanos, BUCKET_NANOS);
    int i = (int) Math.floorMod(bucket, BUCKETS);
    if (bucketIds[i] != bucket) {
      bucketIds[i] = bucket;
      counts[i] = 0;
      rttSums[i] = 0;
    }
    counts[i]++;
    rttSums[i] += rttNanos;
    completed++;
    meanRttNanos = meanRttNanos == 0 ? rttNanos : meanRttNanos + RTT_ALPHA * (rttNanos - meanRttNanos);
  }

  /** Completions per second over the last full second before {@code nowNanos} (0 when idle). */
  public synchronized double ratePerSecond(long nowNanos) {
    long current = Math.floorDiv(nowNanos, BUCKET_NANOS);
    long sum = 0;
    for (int k = 0; k < BUCKETS; k++) {
      if (bucketIds[k] < current && bucketIds[k] >= current - BUCKETS) {
        sum += counts[k];
      }
    }
    return sum * 1e9 / (BUCKETS * (double) BUCKET_NANOS);
  }

  /**
   * Mean latency of the completions of the last second, this bucket included, in nanoseconds; the running mean when
   * nothing completed in that second (0 before the first completion). Samples older than a second do not count: the
   * first calls of a process that just started (cold code, new connections) take tens of times longer than the
   * next thousand, and would weigh on a running mean for hundreds of samples.
   */
  public synchronized double recentRttNanos(long nowNanos) {
    long current = Math.floorDiv(nowNanos, BUCKET_NANOS);
    long n = 0;
    long sum = 0;
    for (int k = 0; k < BUCKETS; k++) {
      if (bucketIds[k] <= current && bucketIds[k] > current - BUCKETS) {
        n += counts[k];
        sum += rttSums[k];
      }
    }
    return n == 0 ? meanRttNanos : (double) sum / n;
  }

  /** Completions since this meter was made (the process started). */
  public synchronized long completed() {
    return completed;
  }

  /** Mean latency of recent completions in nanoseconds (0 before the first). */
  public synchronized double meanRttNanos() {
    return meanRttNanos;
  }
}
