package dev.stampede.chaos.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Pacer} whose time moves only when an engine sleeps: the sleep returns at once after advancing the
 * clock and running every scheduled task that came due (a fake controller creating replacement pods, an abort).
 * Thread-safe.
 */
public final class FakePacer implements Pacer {

  private record Task(Instant at, long seq, Runnable run) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::at).thenComparingLong(Task::seq));
  private final List<Duration> sleeps = new ArrayList<>();
  private Instant now;
  private long seq;

  public FakePacer(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  /** Runs {@code task} once the clock reaches {@code at} (during a sleep). */
  public synchronized void at(Instant at, Runnable task) {
    tasks.add(new Task(at, seq++, task));
  }

  /** Runs {@code task} once the clock is {@code offset} past the current time. */
  public synchronized void after(Duration offset, Runnable task) {
    at(now.plus(offset), task);
  }

  /** Every sleep requested so far. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public boolean sleep(Duration duration, AbortSignal abort) {
    Instant until;
    synchronized (this) {
      sleeps.add(duration);
      until = now.plus(duration);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at().isAfter(until)) {
          now = until;
          break;
        }
        tasks.poll();
        if (next.at().isAfter(now)) {
          now = next.at();
        }
      }
      next.run().run();
      if (abort.isSet()) {
        return false;
      }
    }
    return !abort.isSet();
  }
}
