package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.List;

/**
 * The clients' reboot: which profile they come back with, when the wave of reboots starts (after t0), how long a
 * rebooting machine stays off before its client starts again, and the waves of reboots.
 *
 * @param profile how the clients come back
 * @param at the storm's start after t0, {@code >= 0}
 * @param bootTime how long each client stays offline before it starts coming back
 * @param waves the groups of rebooting clients, at least one
 */
public record Storm(Profile profile, Duration at, Duration bootTime, List<StormWave> waves) {

  /** Copies the list. */
  public Storm {
    waves = List.copyOf(waves);
  }

  /** The number of rebooting clients: the N of the bound. */
  public int clients(int population) {
    return waves.stream().mapToInt(w -> w.clients().of(population)).sum();
  }

  /**
   * W: the time from t0 until the last client has started coming back — the window of the bound
   * max(W, t_ready) + N ÷ C.
   */
  public Duration window(int population, double capacityPerSecond) {
    Duration last = Duration.ZERO;
    for (StormWave w : waves) {
      Duration end = w.start().plus(w.windowOn(population, capacityPerSecond));
      if (end.compareTo(last) > 0) {
        last = end;
      }
    }
    return at.plus(bootTime).plus(last);
  }

  /** The same storm with another profile. */
  public Storm withProfile(Profile p) {
    return new Storm(p, at, bootTime, waves);
  }
}
