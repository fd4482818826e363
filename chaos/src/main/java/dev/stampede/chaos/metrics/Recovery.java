package dev.stampede.chaos.metrics;

/**
 * The recovery metrics of one run, exactly as DESIGN §6 defines them. Times are seconds after t0 (the trigger).
 *
 * @param clients N, the clients that rebooted in the storm
 * @param windowS W, the clients' reboot window
 * @param tReadyS t_ready, the time until the restarted services were ready again (0 without faults)
 * @param capacityPerS C, the calibrated capacity of this run's recovery mix (auth RPCs = recoveries per second)
 * @param boundS max(W, t_ready) + N ÷ C
 * @param observedS the length of the observation window actually watched
 * @param recovered whether 99 % of the clients were online again before the window ended
 * @param t99S T99, or {@code null} when not recovered
 * @param recoveryRatio R = T99 ÷ bound, or {@code null} when not recovered
 * @param attemptsPerClient auth RPCs (log-in + resume) sent to a server during recovery ([t0, T99], or to the end
 *     of the window) ÷ N; attempts that no server answered (a pod down: refused, or waiting for a connection) are
 *     not counted
 * @param goodputRatioDuringStorm successful auth RPCs per second ÷ C over [t_ready, T99] (or to the end of the
 *     window), or {@code null} when that interval is empty
 */
public record Recovery(int clients, double windowS, double tReadyS, double capacityPerS, double boundS,
    double observedS, boolean recovered, Double t99S, Double recoveryRatio, double attemptsPerClient,
    Double goodputRatioDuringStorm) {

  /**
   * The bound of DESIGN §6: max(W, t_ready) + N ÷ C — an ideal schedule has every client back by then.
   *
   * @throws IllegalArgumentException if C is not positive
   */
  public static double bound(double windowS, double tReadyS, int clients, double capacityPerS) {
    if (!(capacityPerS > 0) || Double.isInfinite(capacityPerS)) {
      throw new IllegalArgumentException("capacityPerS: " + capacityPerS + " (expected: > 0)");
    }
    return Math.max(windowS, tReadyS) + clients / capacityPerS;
  }
}
