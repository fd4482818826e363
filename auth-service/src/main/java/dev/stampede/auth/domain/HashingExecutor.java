package dev.stampede.auth.domain;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The bounded pool that runs password hashing: one thread per core and a bounded queue, so a log-in storm costs
 * at most {@code threads} cores and {@code queueCapacity} waiting requests — the rest are refused at once
 * ({@link OverloadedException}) instead of queueing work nobody will wait for (DESIGN §1).
 *
 * <p>When a task reaches a thread, it runs only if its caller still waits long enough for it: a cancelled call, or
 * one whose remaining deadline is shorter than the recent service time (an EWMA of measured run times), is
 * skipped with {@link CallerGoneException}. That is what keeps a backlog from turning into work for clients that
 * already timed out (the metastable loop of DESIGN §1).
 *
 * <p>Thread-safe.
 */
public final class HashingExecutor implements AutoCloseable {
  /** EWMA weight of the newest sample: 1/8, as TCP's SRTT (RFC 6298). */
  private static final double ALPHA = 0.125;

  private final ThreadPoolExecutor pool;
  private final LongSupplier nanoTime;
  private final AtomicLong serviceTimeNanos;
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /**
   * @param threads worker threads, usually the number of cores
   * @param queueCapacity tasks that may wait
   * @param initialServiceTime the service time assumed before the first measurement, in nanoseconds
   * @throws IllegalArgumentException if {@code threads} or {@code queueCapacity} is not positive
   */
  public HashingExecutor(int threads, int queueCapacity, long initialServiceTime, LongSupplier nanoTime) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: > 0)");
    }
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, "auth-hashing-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    this.pool.prestartAllCoreThreads();
    this.nanoTime = nanoTime;
    this.serviceTimeNanos = new AtomicLong(initialServiceTime);
  }

  /**
   * Queues {@code work}; the future completes with its result, or exceptionally with {@link OverloadedException}
   * (queue full, nothing done), {@link CallerGoneException} (skipped, nothing done) or what {@code work} threw.
   */
  public <T> CompletableFuture<T> submit(Supplier<T> work, CallerPatience caller) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      pool.execute(() -> run(work, caller, result));
    } catch (RejectedExecutionException e) {
      rejected.incrementAndGet();
      result.completeExceptionally(new OverloadedException(pool.isShutdown()
          ? "server is shutting down" : "password hashing queue is full"));
    }
    return result;
  }

  private <T> void run(Supplier<T> work, CallerPatience caller, CompletableFuture<T> result) {
    if (caller.gone() || caller.remainingNanos() < serviceTimeNanos.get()) {
      skipped.incrementAndGet();
      result.completeExceptionally(new CallerGoneException("caller's deadline is too close for a password hash"));
      return;
    }
    long start = nanoTime.getAsLong();
    try {
      T value = work.get();
      result.complete(value);
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    } finally {
      long took = nanoTime.getAsLong() - start;
      serviceTimeNanos.getAndUpdate(old -> (long) (old + ALPHA * (took - old)));
    }
  }

  /** Tasks waiting for a thread. */
  public int queued() {
    return pool.getQueue().size();
  }

  /** Tasks running now. */
  public int active() {
    return pool.getActiveCount();
  }

  /** The smoothed service time of one task, in nanoseconds. */
  public long serviceTimeNanos() {
    return serviceTimeNanos.get();
  }

  /** Tasks skipped because their caller was gone or its deadline too close. */
  public long skipped() {
    return skipped.get();
  }

  /** Tasks refused because the queue was full. */
  public long rejected() {
    return rejected.get();
  }

  /** Stops taking work and waits up to {@code timeoutMillis} for queued and running tasks to finish. */
  public boolean drain(long timeoutMillis) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
