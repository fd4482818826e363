package dev.stampede.chaos.storm;

import java.util.PriorityQueue;

/** A {@link StormTimer} on a fake clock: tasks run only when the test advances time, in time order. */
final class FakeTimer implements StormTimer {
  private record Task(long at, long seq, Runnable run, boolean[] cancelled) {
  }

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task due up to {@code now + nanos}, each at its own time, then sets the clock there. */
  void advance(long nanos) {
    long until;
    synchronized (this) {
      until = now + nanos;
    }
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.at > until) {
          now = until;
          return;
        }
        tasks.poll();
        now = t.at;
      }
      if (!t.cancelled[0]) {
        t.run.run();
      }
    }
  }

  void advanceSeconds(double seconds) {
    advance(Math.round(seconds * 1e9));
  }
}
