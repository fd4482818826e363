package dev.stampede.chaos.timeline;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Event counts in fixed-width time buckets, for a fixed number of series: the storm's RPC attempts and outcomes at
 * 100 ms resolution, so that recovery metrics can be taken over exact intervals such as [t0, T99].
 *
 * <p>Thread-safe and lock-free for writers; memory grows in chunks of one minute as the run goes on. Events past
 * the last bucket (a run longer than {@link #MAX_DURATION_NANOS}) are counted in the last bucket.
 */
public final class BucketCounters {
  /** The bucket width: 100 ms. */
  public static final long BUCKET_NANOS = 100_000_000L;
  /** Buckets are kept for at most 6 hours. */
  public static final long MAX_DURATION_NANOS = 6 * 3600 * 1_000_000_000L;

  private static final int BUCKETS_PER_CHUNK = 600;
  private static final int MAX_CHUNKS = (int) (MAX_DURATION_NANOS / BUCKET_NANOS / BUCKETS_PER_CHUNK);

  private final int series;
  private final long originNanos;
  private final AtomicReferenceArray<AtomicLongArray> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);

  /**
   * @param series the number of series
   * @param originNanos the time of bucket 0's start
   */
  public BucketCounters(int series, long originNanos) {
    if (series < 1) {
      throw new IllegalArgumentException("series: " + series + " (expected: >= 1)");
    }
    this.series = series;
    this.originNanos = originNanos;
  }

  /** The time of bucket 0's start. */
  public long originNanos() {
    return originNanos;
  }

  /** Adds one event of {@code series} at {@code nanos} (events before the origin count in bucket 0). */
  public void increment(int seriesIndex, long nanos) {
    add(seriesIndex, nanos, 1);
  }

  /** Adds {@code n} events of {@code series} at {@code nanos}. */
  public void add(int seriesIndex, long nanos, long n) {
    checkSeries(seriesIndex);
    long bucket = bucketOf(nanos);
    chunk((int) (bucket / BUCKETS_PER_CHUNK), true)
        .addAndGet((int) (bucket % BUCKETS_PER_CHUNK) * series + seriesIndex, n);
  }

  /** The count of one bucket. */
  public long get(int seriesIndex, long bucket) {
    checkSeries(seriesIndex);
    if (bucket < 0 || bucket >= (long) MAX_CHUNKS * BUCKETS_PER_CHUNK) {
      return 0;
    }
    AtomicLongArray c = chunk((int) (bucket / BUCKETS_PER_CHUNK), false);
    return c == null ? 0 : c.get((int) (bucket % BUCKETS_PER_CHUNK) * series + seriesIndex);
  }

  /**
   * The events of a series in [fromNanos, toNanos). Buckets cut by the interval's ends count in proportion to
   * the part inside (events are assumed spread evenly within a bucket), so the error is under one bucket's count
   * at each end.
   */
  public double sum(int seriesIndex, long fromNanos, long toNanos) {
    if (toNanos <= fromNanos) {
      return 0;
    }
    long first = Math.floorDiv(fromNanos - originNanos, BUCKET_NANOS);
    long last = Math.floorDiv(toNanos - 1 - originNanos, BUCKET_NANOS);
    double total = 0;
    for (long b = Math.max(0, first); b <= last; b++) {
      long count = get(seriesIndex, b);
      if (count == 0) {
        continue;
      }
      long bStart = originNanos + b * BUCKET_NANOS;
      long overlap = Math.min(toNanos, bStart + BUCKET_NANOS) - Math.max(fromNanos, bStart);
      total += count * (double) overlap / BUCKET_NANOS;
    }
    return total;
  }

  private long bucketOf(long nanos) {
    long b = Math.floorDiv(nanos - originNanos, BUCKET_NANOS);
    return Math.max(0, Math.min(b, (long) MAX_CHUNKS * BUCKETS_PER_CHUNK - 1));
  }

  private AtomicLongArray chunk(int index, boolean create) {
    AtomicLongArray c = chunks.get(index);
    if (c == null && create) {
      chunks.compareAndSet(index, null, new AtomicLongArray(BUCKETS_PER_CHUNK * series));
      c = chunks.get(index);
    }
    return c;
  }

  private void checkSeries(int s) {
    if (s < 0 || s >= series) {
      throw new IndexOutOfBoundsException("series: " + s + " (expected: 0.." + (series - 1) + ")");
    }
  }
}
