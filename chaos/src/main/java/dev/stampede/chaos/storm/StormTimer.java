package dev.stampede.chaos.storm;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clock and timers of the storm: every virtual client's waits (retry delays, heartbeats, reboots) are timer
 * tasks here, never sleeping threads, so tens of thousands of clients need one thread. Tests use a fake.
 *
 * <p>Implementations are thread-safe; tasks must be short (they send an async RPC and return).
 */
public interface StormTimer {

  /** The current time, on the clock the recorder uses. */
  long nanoTime();

  /** Runs {@code task} after {@code delayNanos} (at once when not positive). */
  Cancellable schedule(long delayNanos, Runnable task);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  /** A timer on {@link System#nanoTime()} with one daemon thread; {@link #close()} stops it. */
  final class SystemTimer implements StormTimer, AutoCloseable {
    private final ScheduledExecutorService executor;

    /** Starts the timer thread. */
    public SystemTimer() {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "stampede-storm-timer");
        t.setDaemon(true);
        return t;
      });
      e.setRemoveOnCancelPolicy(true);
      this.executor = Executors.unconfigurableScheduledExecutorService(e);
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
      if (executor.isShutdown()) {
        return () -> { };
      }
      ScheduledFuture<?> f = executor.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          // One client's bug must not stop every other client's timers.
        }
      }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
