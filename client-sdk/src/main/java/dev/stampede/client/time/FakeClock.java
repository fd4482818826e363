package dev.stampede.client.time;

import io.grpc.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link TimeSource} whose time moves only when told to, in the style of grpc-java's {@code FakeClock}.
 *
 * <p>{@link #forwardTime(long, TimeUnit)} runs every task that falls due in order of due time, with the clock set
 * to each task's due time while it runs: a task scheduled for {@code t + 250 ms} sees exactly {@code t + 250 ms}.
 * Tasks scheduled with no delay (and {@link ScheduledExecutorService#execute}) run on the next
 * {@link #runDueTasks()} or forward. Tasks run on the thread that moves the clock.
 *
 * <p>Meant for tests and for simulations that replay hours of client behaviour in milliseconds. Thread-safe: the
 * queue is guarded by a lock, tasks run outside it. A task that throws completes its future exceptionally, as on a
 * real executor.
 */
public final class FakeClock implements TimeSource {
  private static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Object lock = new Object();
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final long wallStartMillis;
  private final ScheduledExecutorService scheduler = new Scheduler();
  private final Deadline.Ticker ticker = new Deadline.Ticker() {
    @Override
    public long nanoTime() {
      return FakeClock.this.nanoTime();
    }
  };
  private long nowNanos;
  private long sequence;

  /** A clock whose wall time starts at 2026-01-01T00:00:00Z. */
  public FakeClock() {
    this(DEFAULT_START);
  }

  /** A clock whose wall time starts at {@code wallStart}; monotonic time starts at 0. */
  public FakeClock(Instant wallStart) {
    this.wallStartMillis = wallStart.toEpochMilli();
  }

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return nowNanos;
    }
  }

  @Override
  public long currentTimeMillis() {
    return wallStartMillis + TimeUnit.NANOSECONDS.toMillis(nanoTime());
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Deadline.Ticker deadlineTicker() {
    return ticker;
  }

  /** Moves time forward by {@code amount}, running every task that falls due on the way; returns how many ran. */
  public int forwardTime(long amount, TimeUnit unit) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount: " + amount + " (expected: >= 0)");
    }
    return forwardNanos(unit.toNanos(amount));
  }

  /** Moves time forward by {@code amount}; see {@link #forwardTime(long, TimeUnit)}. */
  public int forward(Duration amount) {
    return forwardTime(amount.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Moves time forward by {@code nanos}; see {@link #forwardTime(long, TimeUnit)}. */
  public int forwardNanos(long nanos) {
    long target;
    synchronized (lock) {
      target = nowNanos + nanos;
    }
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          nowNanos = target;
          return ran;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      next.runOnce();
      ran++;
    }
  }

  /** Runs the tasks that are due now (including those they schedule with no delay); returns how many ran. */
  public int runDueTasks() {
    return forwardNanos(0);
  }

  /** The number of tasks waiting to run. */
  public int numPendingTasks() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Nanoseconds until the next pending task is due, or -1 when nothing is pending. */
  public long nanosToNextTask() {
    synchronized (lock) {
      Task<?> next = queue.peek();
      return next == null ? -1 : Math.max(0, next.dueNanos - nowNanos);
    }
  }

  @Override
  public String toString() {
    return "FakeClock{now=" + nanoTime() + "ns, pending=" + numPendingTasks() + "}";
  }

  private <V> Task<V> enqueue(Callable<V> body, long delayNanos, long periodNanos) {
    synchronized (lock) {
      if (((Scheduler) scheduler).shutdown) {
        throw new RejectedExecutionException("FakeClock scheduler is shut down");
      }
      Task<V> task = new Task<>(body, nowNanos + Math.max(0, delayNanos), periodNanos, sequence++);
      queue.add(task);
      return task;
    }
  }

  private final class Task<V> implements ScheduledFuture<V> {
    private final Callable<V> body;
    private final long periodNanos;
    private final long seq;
    private long dueNanos;
    private boolean done;
    private boolean cancelled;
    private V value;
    private Throwable failure;

    Task(Callable<V> body, long dueNanos, long periodNanos, long seq) {
      this.body = body;
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.seq = seq;
    }

    void runOnce() {
      synchronized (lock) {
        if (done) {
          return;
        }
      }
      V result = null;
      Throwable error = null;
      try {
        result = body.call();
      } catch (Throwable t) {
        error = t;
      }
      synchronized (lock) {
        if (done) {
          return;
        }
        if (periodNanos != 0 && error == null) {
          dueNanos = periodNanos > 0 ? dueNanos + periodNanos : nowNanos - periodNanos;
          queue.add(this);
          return;
        }
        done = true;
        value = result;
        failure = error;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (lock) {
        return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> that = (Task<?>) other;
      int byDue = Long.compare(dueNanos, that.dueNanos);
      return byDue != 0 ? byDue : Long.compare(seq, that.seq);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (lock) {
        if (done) {
          return false;
        }
        done = true;
        cancelled = true;
        queue.remove(this);
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (lock) {
        return cancelled;
      }
    }

    @Override
    public boolean isDone() {
      synchronized (lock) {
        return done;
      }
    }

    @Override
    public V get() throws ExecutionException {
      synchronized (lock) {
        if (!done) {
          throw new IllegalStateException("fake task not run yet: move the FakeClock forward instead of blocking");
        }
        if (cancelled) {
          throw new java.util.concurrent.CancellationException();
        }
        if (failure != null) {
          throw new ExecutionException(failure);
        }
        return value;
      }
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
      synchronized (lock) {
        if (!done) {
          throw new TimeoutException("fake task not run yet");
        }
      }
      return get();
    }
  }

  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private volatile boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(() -> {
        command.run();
        return null;
      }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      if (period <= 0) {
        throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
      }
      return enqueue(() -> {
        command.run();
        return null;
      }, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
        TimeUnit unit) {
      if (delay <= 0) {
        throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
      }
      return enqueue(() -> {
        command.run();
        return null;
      }, unit.toNanos(initialDelay), -unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      List<Runnable> pending = new ArrayList<>();
      synchronized (lock) {
        for (Task<?> task : queue) {
          task.done = true;
          task.cancelled = true;
          pending.add(() -> { });
        }
        queue.clear();
      }
      return pending;
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown && numPendingTasks() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return isTerminated();
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
      throw new UnsupportedOperationException("invokeAll blocks; not supported by FakeClock");
    }
  }
}
