package dev.stampede.chaos.restart;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way switch that stops a running plan: set by a signal handler (SIGTERM, Ctrl-C) or by
 * {@link RestartEngine#abort()}, checked by the engine before every action and while it waits.
 * Thread-safe.
 */
public final class AbortSignal {
  private final CountDownLatch latch = new CountDownLatch(1);

  /** Sets the switch; waiting threads wake up at once. Idempotent. */
  public void set() {
    latch.countDown();
  }

  /** Whether the switch is set. */
  public boolean isSet() {
    return latch.getCount() == 0;
  }

  /**
   * Waits up to {@code timeout} for the switch.
   *
   * @return true if the switch is set
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return latch.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }
}
