package dev.stampede.client.time;

import io.grpc.Deadline;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A monotonic clock, a wall clock and a scheduler that agree with each other.
 *
 * <p>The SDK reads time and schedules work only through this interface: retries, pushback waits, heartbeats,
 * session refreshes, reconnect pacing and the deadlines of gRPC calls (through {@link #deadlineTicker()}). The
 * system implementation uses {@link System#nanoTime()}, {@link System#currentTimeMillis()} and a real scheduler;
 * {@link FakeClock} moves only when a test tells it to.
 *
 * <p>Implementations are thread-safe. Tasks given to {@link #scheduler()} must be short and must not block:
 * they start calls or hand work to an executor.
 */
public interface TimeSource {

  /** Monotonic time in nanoseconds, for measuring intervals only (as {@link System#nanoTime()}). */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for comparing with server timestamps. */
  long currentTimeMillis();

  /** Runs delayed tasks on this time base. */
  ScheduledExecutorService scheduler();

  /** The ticker for gRPC {@link Deadline}s, so that deadlines expire on this time base. */
  Deadline.Ticker deadlineTicker();

  /**
   * Real time, scheduling on the given executor. The caller keeps ownership of the executor and shuts it down.
   *
   * @throws NullPointerException if {@code scheduler} is null
   */
  static TimeSource system(ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return new TimeSource() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long currentTimeMillis() {
        return System.currentTimeMillis();
      }

      @Override
      public ScheduledExecutorService scheduler() {
        return scheduler;
      }

      @Override
      public Deadline.Ticker deadlineTicker() {
        // Deadlines compare tickers by identity; the system ticker keeps them comparable with a caller's Context.
        return Deadline.getSystemTicker();
      }

      @Override
      public String toString() {
        return "TimeSource.system";
      }
    };
  }
}
