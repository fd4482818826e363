package dev.stampede.chaos.metrics;

import java.util.OptionalLong;

/**
 * Computes {@link Recovery} from what a run recorded: the trigger t0, T99 from the {@link OnlineTracker}, t_ready
 * from the fault journal, C from the calibration, and the auth RPC counts over time.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecoveryCalculator {
  private static final double NANOS = 1e9;

  /** Auth RPC counts over an interval of the run, e.g. backed by {@code BucketCounters}. */
  public interface AuthCounts {
    /** Auth RPCs (log-in + resume) sent to a server in [fromNanos, toNanos) (not those no server answered). */
    double attempts(long fromNanos, long toNanos);

    /** Auth RPCs that succeeded (answer received) in [fromNanos, toNanos). */
    double successes(long fromNanos, long toNanos);
  }

  /**
   * The run's facts.
   *
   * @param clients N, the clients that rebooted (at least 1)
   * @param t0Nanos the trigger
   * @param windowS W
   * @param tReadyS t_ready (0 when nothing was restarted)
   * @param capacityPerS C
   * @param t99Nanos T99 as an absolute time, if the run recovered
   * @param endNanos the end of the observation window
   */
  public record Facts(int clients, long t0Nanos, double windowS, double tReadyS, double capacityPerS,
      OptionalLong t99Nanos, long endNanos) {
    /** Checks the ranges. */
    public Facts {
      if (clients < 1) {
        throw new IllegalArgumentException("clients: " + clients + " (expected: >= 1)");
      }
      if (windowS < 0 || tReadyS < 0) {
        throw new IllegalArgumentException("windowS/tReadyS: " + windowS + "/" + tReadyS + " (expected: >= 0)");
      }
      if (endNanos < t0Nanos) {
        throw new IllegalArgumentException("endNanos: before t0 (expected: the window ends after the trigger)");
      }
    }
  }

  /** The metrics of a run. */
  public Recovery compute(Facts f, AuthCounts counts) {
    double bound = Recovery.bound(f.windowS(), f.tReadyS(), f.clients(), f.capacityPerS());
    double observed = (f.endNanos() - f.t0Nanos()) / NANOS;
    boolean recovered = f.t99Nanos().isPresent() && f.t99Nanos().getAsLong() <= f.endNanos();
    long recoveryEnd = recovered ? f.t99Nanos().getAsLong() : f.endNanos();
    Double t99 = recovered ? (recoveryEnd - f.t0Nanos()) / NANOS : null;
    Double ratio = recovered ? t99 / bound : null;

    double attempts = counts.attempts(f.t0Nanos(), recoveryEnd);
    long readyAt = f.t0Nanos() + Math.round(f.tReadyS() * NANOS);
    Double goodput = null;
    if (recoveryEnd > readyAt) {
      double seconds = (recoveryEnd - readyAt) / NANOS;
      goodput = counts.successes(readyAt, recoveryEnd) / seconds / f.capacityPerS();
    }
    return new Recovery(f.clients(), f.windowS(), f.tReadyS(), f.capacityPerS(), bound, observed, recovered, t99,
        ratio, attempts / f.clients(), goodput);
  }
}
