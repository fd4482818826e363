package dev.stampede.chaos.restart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The engines' view of time: what time it is (journal timestamps) and waiting (wave intervals, readiness
 * polls). Tests substitute a fake that advances instantly, so wave timing is tested without sleeping.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Pacer {

  /** The current time. */
  Instant now();

  /**
   * Waits for {@code duration} unless {@code abort} is set first.
   *
   * @return true if the full duration passed, false if aborted
   * @throws InterruptedException if the thread is interrupted
   */
  boolean sleep(Duration duration, AbortSignal abort) throws InterruptedException;

  /** Wall-clock time and real waiting. */
  static Pacer system() {
    return of(Clock.systemUTC());
  }

  /** Time from {@code clock} and real waiting. */
  static Pacer of(Clock clock) {
    return new Pacer() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public boolean sleep(Duration duration, AbortSignal abort) throws InterruptedException {
        return !abort.await(duration);
      }
    };
  }
}
