package dev.stampede.relay.forward;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/** A nanosecond clock and scheduler that move only when the test says so (grpc-java FakeClock style). */
final class FakeClock implements LongSupplier, Scheduler {
  private long now = 1_000_000_000L;
  private final List<long[]> dueAt = new ArrayList<>();
  private final List<Runnable> tasks = new ArrayList<>();

  @Override
  public long getAsLong() {
    return now;
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    dueAt.add(new long[] {now + delayNanos, tasks.size()});
    tasks.add(task);
  }

  /** Advances time and runs every task that became due, in order. */
  void forwardNanos(long nanos) {
    long target = now + nanos;
    while (true) {
      long[] next = dueAt.stream().filter(d -> d[0] <= target).min(Comparator.comparingLong(d -> d[0]))
          .orElse(null);
      if (next == null) {
        break;
      }
      dueAt.remove(next);
      now = Math.max(now, next[0]);
      tasks.get((int) next[1]).run();
    }
    now = target;
  }

  int pendingTasks() {
    return dueAt.size();
  }
}
