package dev.stampede.chaos.storm;

import dev.stampede.chaos.experiment.Profile;
import java.time.Duration;

/**
 * How a virtual client behaves when it comes back — a property of the virtual client, not a fork of the SDK.
 *
 * <ul>
 *   <li>{@link Sdk}: the client SDK with its defaults: resume first, log in only when the ticket is refused, calls
 *       wait for a ready connection, polite retries that honour pushback.
 *   <li>{@link Skype2007}: the clients of August 2007, built on single raw RPCs with none of that.
 * </ul>
 */
public sealed interface ClientProfile {

  /** The profile's name in files and reports. */
  Profile name();

  /** The profile of an experiment file, with its default parameters. */
  static ClientProfile of(Profile p) {
    return p == Profile.SDK ? new Sdk() : Skype2007.DEFAULT;
  }

  /** The SDK's defaults. */
  record Sdk() implements ClientProfile {
    @Override
    public Profile name() {
      return Profile.SDK;
    }
  }

  /**
   * The 2007 client: on every return a full password log-in (then presence registration), each RPC timing out
   * after {@code attemptTimeout}; after a failure of any kind a fixed {@code retryDelay} with no jitter; overload
   * answers and their pushback are ignored (a rejection is just a failure); after {@code triesPerCycle} failed
   * tries it gives up and starts over on a fresh connection, after {@code retryDelay} plus {@code cyclePause}.
   *
   * @param attemptTimeout the deadline of each RPC (5 s)
   * @param retryDelay the fixed wait after a failed try (6 s)
   * @param triesPerCycle tries before starting over (5)
   * @param cyclePause extra wait before starting over (0: the 2007 clients never stopped trying)
   */
  record Skype2007(Duration attemptTimeout, Duration retryDelay, int triesPerCycle, Duration cyclePause)
      implements ClientProfile {

    /** 5 s timeout, fixed 6 s retry, 5 tries then start over at once. */
    public static final Skype2007 DEFAULT =
        new Skype2007(Duration.ofSeconds(5), Duration.ofSeconds(6), 5, Duration.ZERO);

    /** Checks the ranges. */
    public Skype2007 {
      if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
        throw new IllegalArgumentException("attemptTimeout: " + attemptTimeout + " (expected: > 0)");
      }
      if (retryDelay.isNegative() || cyclePause.isNegative()) {
        throw new IllegalArgumentException("retryDelay/cyclePause: negative (expected: >= 0)");
      }
      if (triesPerCycle < 1) {
        throw new IllegalArgumentException("triesPerCycle: " + triesPerCycle + " (expected: >= 1)");
      }
    }

    @Override
    public Profile name() {
      return Profile.SKYPE2007;
    }

    /**
     * The period of one client's attempts when every attempt times out: timeout + retry delay (11 s). The
     * offered rate of N such clients is N ÷ this.
     */
    public Duration periodWhenTimingOut() {
      return attemptTimeout.plus(retryDelay);
    }
  }
}
