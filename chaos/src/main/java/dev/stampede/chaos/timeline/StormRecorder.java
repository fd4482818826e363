package dev.stampede.chaos.timeline;

import dev.stampede.chaos.metrics.OnlineTracker;
import dev.stampede.chaos.metrics.RecoveryCalculator;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one sink of what virtual clients do: RPC attempts and outcomes in 100 ms buckets, latencies of successful
 * RPCs in interval histograms, and who is online ({@link OnlineTracker}). The storm writes, the sampler reads.
 *
 * <p>Thread-safe; writers do not block each other except on the online tracker's lock.
 */
public final class StormRecorder {
  /** Latencies above this are recorded as this (the longest deadline any profile uses, with room). */
  public static final long MAX_LATENCY_MICROS = 120_000_000L;

  private static final int ATTEMPT = 0;
  // After the outcomes: attempts that reached a server, counted when they started.
  private static final int SENT = 1 + Outcome.values().length;
  private static final int KINDS = SENT + 1;

  private final BucketCounters counters;
  private final Map<Rpc, Recorder> latencies = new EnumMap<>(Rpc.class);
  private final OnlineTracker online;

  /**
   * @param population the number of virtual clients
   * @param originNanos the start of the run on the storm's clock
   */
  public StormRecorder(int population, long originNanos) {
    this.counters = new BucketCounters(Rpc.values().length * KINDS, originNanos);
    this.online = new OnlineTracker(population);
    for (Rpc rpc : Rpc.values()) {
      latencies.put(rpc, new Recorder(MAX_LATENCY_MICROS, 2));
    }
  }

  /** The start of the run. */
  public long originNanos() {
    return counters.originNanos();
  }

  /** Who is online. */
  public OnlineTracker online() {
    return online;
  }

  /** An RPC was sent at {@code nanos}. */
  public void attempt(Rpc rpc, long nanos) {
    counters.increment(series(rpc, ATTEMPT), nanos);
  }

  /**
   * An RPC ended at {@code endNanos} with {@code outcome}; successes also record their latency.
   */
  public void result(Rpc rpc, Outcome outcome, long startNanos, long endNanos) {
    counters.increment(series(rpc, 1 + outcome.ordinal()), endNanos);
    if (outcome != Outcome.UNREACHABLE) {
      counters.increment(series(rpc, SENT), startNanos);
    }
    if (outcome == Outcome.SUCCESS) {
      long micros = Math.max(0, (endNanos - startNanos) / 1000);
      latencies.get(rpc).recordValue(Math.min(micros, MAX_LATENCY_MICROS));
    }
  }

  /** RPCs of a kind sent in [from, to). */
  public double attempts(Rpc rpc, long fromNanos, long toNanos) {
    return counters.sum(series(rpc, ATTEMPT), fromNanos, toNanos);
  }

  /** RPCs of a kind that ended with {@code outcome} in [from, to). */
  public double outcomes(Rpc rpc, Outcome outcome, long fromNanos, long toNanos) {
    return counters.sum(series(rpc, 1 + outcome.ordinal()), fromNanos, toNanos);
  }

  /**
   * The latencies of successful RPCs of a kind since the last call (for each kind), in microseconds. The sampler
   * calls this once per second.
   */
  public Histogram takeLatencies(Rpc rpc) {
    return latencies.get(rpc).getIntervalHistogram();
  }

  /** Auth RPC counts for the recovery metrics. */
  public RecoveryCalculator.AuthCounts authCounts() {
    return new RecoveryCalculator.AuthCounts() {
      // Sent means a server got it: an attempt that waited for a connection to a pod that was down, or was refused
      // one, ends UNREACHABLE and cost no server anything (the 2007 clients' attempts are counted the same way).
      @Override
      public double attempts(long fromNanos, long toNanos) {
        return counters.sum(series(Rpc.LOGIN, SENT), fromNanos, toNanos)
            + counters.sum(series(Rpc.RESUME, SENT), fromNanos, toNanos);
      }

      @Override
      public double successes(long fromNanos, long toNanos) {
        return outcomes(Rpc.LOGIN, Outcome.SUCCESS, fromNanos, toNanos)
            + outcomes(Rpc.RESUME, Outcome.SUCCESS, fromNanos, toNanos);
      }
    };
  }

  private static int series(Rpc rpc, int kind) {
    return rpc.ordinal() * KINDS + kind;
  }
}
