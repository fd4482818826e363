package dev.stampede.client.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Client-side adaptive throttling (Site Reliability Engineering, ch. 21 "Handling Overload"): each request is
 * rejected locally, before it is sent, with probability {@code max(0, (requests - K · accepts) / (requests + 1))},
 * where {@code requests} counts every request the application made (including those rejected locally) and
 * {@code accepts} those the server accepted, both over a sliding window (two minutes in the book).
 *
 * <p>While the server accepts everything the probability is 0; once it rejects more than {@code 1 - 1/K} of the
 * requests, the client stops sending the excess itself, so a server that is already refusing work does not also
 * have to pay for receiving it. The window is kept in {@code buckets} slots, so memory is constant and small enough
 * for tens of thousands of simulated clients.
 *
 * <p><b>Minimum volume.</b> The throttle only rejects once at least {@code minSent} requests were actually sent in
 * the window (as Envoy's admission control has a request-rate threshold and circuit breakers a minimum number of
 * calls). The formula is a statistic: over a handful of requests it is noise. One device reconnecting sends a few
 * requests a minute; two of them cut by a pod restart would otherwise read as "the server rejects everything", and
 * because every local rejection counts as one more request without an accept, the device would go on refusing
 * itself round after round until its window aged — long after the server was back. Below the threshold a client
 * sends too little to matter to a server; its pacing is the server's pushback and its own backoff. Thread-safe.
 */
public final class AdaptiveThrottle {
  private final double k;
  private final long bucketNanos;
  private final RandomGenerator random;
  private final long[] bucketStart;
  private final int[] requests;
  private final int[] accepts;
  private final int[] sent;
  private final int minSent;

  /**
   * @param k the SRE multiplier K (≥ 1; 2 in the book)
   * @param window the sliding window (2 minutes in the book)
   * @param buckets slots of the window (≥ 1); more slots, smoother expiry
   * @param random the source of the rejection draw
   * @throws IllegalArgumentException if an argument is out of range
   */
  public AdaptiveThrottle(double k, Duration window, int buckets, RandomGenerator random) {
    this(k, window, buckets, 0, random);
  }

  /**
   * @param k the SRE multiplier K (≥ 1; 2 in the book)
   * @param window the sliding window (2 minutes in the book)
   * @param buckets slots of the window (≥ 1); more slots, smoother expiry
   * @param minSent requests that must have been sent in the window before any is rejected locally (≥ 0)
   * @param random the source of the rejection draw
   * @throws IllegalArgumentException if an argument is out of range
   */
  public AdaptiveThrottle(double k, Duration window, int buckets, int minSent, RandomGenerator random) {
    if (!(k >= 1) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    if (buckets < 1 || buckets > 1000) {
      throw new IllegalArgumentException("buckets: " + buckets + " (expected: 1..1000)");
    }
    if (minSent < 0) {
      throw new IllegalArgumentException("minSent: " + minSent + " (expected: >= 0)");
    }
    this.k = k;
    this.minSent = minSent;
    this.bucketNanos = Math.max(1, window.toNanos() / buckets);
    this.random = Objects.requireNonNull(random, "random");
    this.bucketStart = new long[buckets];
    this.requests = new int[buckets];
    this.accepts = new int[buckets];
    this.sent = new int[buckets];
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  /**
   * Counts a request and decides whether to send it.
   *
   * @return true to send, false to reject it locally
   */
  public boolean admit(long nowNanos) {
    synchronized (this) {
      double p = probabilityLocked(nowNanos);
      int slot = slot(nowNanos);
      requests[slot]++;
      boolean send = p <= 0 || random.nextDouble() >= p;
      if (send) {
        sent[slot]++;
      }
      return send;
    }
  }

  /** Counts a request that is sent whatever the throttle says (a retry the server scheduled). */
  public synchronized void countRequest(long nowNanos) {
    int slot = slot(nowNanos);
    requests[slot]++;
    sent[slot]++;
  }

  /**
   * Takes back a request that never reached a server (it waited for a connection until its deadline): the
   * throttle measures how much a server refuses, and a server that is down refuses nothing — the reconnect pacer
   * deals with it. Without this, a long outage would leave every client throttling itself when the server returns.
   */
  public synchronized void forgetRequest(long nowNanos) {
    // The request was counted when its attempt started, possibly several slots ago: take it back from the newest
    // slot of the window that still holds one.
    long current = Math.floorDiv(nowNanos, bucketNanos);
    for (long index = current; index > current - bucketStart.length; index--) {
      int slot = (int) Math.floorMod(index, (long) bucketStart.length);
      if (bucketStart[slot] == index && requests[slot] > 0 && sent[slot] > 0) {
        requests[slot]--;
        sent[slot]--;
        return;
      }
    }
  }

  /** Counts a request the server accepted (answered with anything but an overload answer). */
  public synchronized void recordAccepted(long nowNanos) {
    accepts[slot(nowNanos)]++;
  }

  /** The probability with which the next request would be rejected locally. */
  public synchronized double rejectionProbability(long nowNanos) {
    return probabilityLocked(nowNanos);
  }

  /** Requests in the window. */
  public synchronized long requests(long nowNanos) {
    return sum(requests, nowNanos);
  }

  /** Accepted requests in the window. */
  public synchronized long accepts(long nowNanos) {
    return sum(accepts, nowNanos);
  }

  /** Requests sent (not rejected locally) in the window. */
  public synchronized long sent(long nowNanos) {
    return sum(sent, nowNanos);
  }

  private double probabilityLocked(long nowNanos) {
    if (minSent > 0 && sum(sent, nowNanos) < minSent) {
      return 0;
    }
    long r = sum(requests, nowNanos);
    long a = sum(accepts, nowNanos);
    return Math.max(0, (r - k * a) / (r + 1));
  }

  private long sum(int[] counts, long nowNanos) {
    long current = Math.floorDiv(nowNanos, bucketNanos);
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (bucketStart[i] != Long.MIN_VALUE && current - bucketStart[i] < counts.length) {
        total += counts[i];
      }
    }
    return total;
  }

  private int slot(long nowNanos) {
    long index = Math.floorDiv(nowNanos, bucketNanos);
    int slot = (int) Math.floorMod(index, (long) bucketStart.length);
    if (bucketStart[slot] != index) {
      bucketStart[slot] = index;
      requests[slot] = 0;
      accepts[slot] = 0;
      sent[slot] = 0;
    }
    return slot;
  }

  @Override
  public String toString() {
    return "AdaptiveThrottle{k=" + k + ", buckets=" + bucketStart.length + ", minSent=" + minSent + "}";
  }
}
