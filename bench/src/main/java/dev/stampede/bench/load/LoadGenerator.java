package dev.stampede.bench.load;

import io.grpc.Status;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The shared load generator of every Stampede benchmark. It drives an {@link Operation} (usually one async gRPC
 * call) in one of two ways:
 *
 * <ul>
 *   <li><b>open loop</b> — logical requests arrive as a Poisson process at a fixed rate, whatever the server does
 *       (the way real clients arrive: an overloaded server does not slow them down);</li>
 *   <li><b>closed loop</b> — {@code K} logical requests in flight; each completion starts the next (throughput
 *       benchmarks, and the anchor).</li>
 * </ul>
 *
 * <p>A failed attempt may be retried by a {@link RetryPolicy}. Counting happens only inside the measurement window
 * that follows the warm-up; latency of successful attempts goes to an HdrHistogram (µs, 3 significant digits).
 * Open-loop latency is measured from the scheduled arrival time, so a late sender does not hide queueing
 * (no coordinated omission). The generator never runs away: at most {@code maxOutstanding} logical requests are
 * outstanding (arrivals beyond are counted as dropped), and it waits at most {@code drain} for stragglers.
 *
 * <pre>{@code
 * LoadResult r = LoadGenerator.closedLoop(64, attempt -> stub.touch(req))   // stub: a future stub
 *     .warmup(Duration.ofSeconds(2)).duration(Duration.ofSeconds(10)).build().run();
 * }</pre>
 *
 * <p>One instance runs once; not thread-safe to configure, thread-safe while running.
 */
public final class LoadGenerator {
  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);
  /** Calls started from a completion callback nest at most this deep before being handed to another thread. */
  private static final int MAX_NESTING = 8;
  private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);

  private final Operation operation;
  private final double rate;
  private final int concurrency;
  private final long warmupNanos;
  private final long durationNanos;
  private final long drainNanos;
  private final RetryPolicy retry;
  private final int maxOutstanding;
  private final Random random;
  private final WindowListener listener;
  private boolean opened;

  private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
  private final LongAdder arrivals = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder gaveUp = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Map<Status.Code, LongAdder> failures = new EnumMap<>(Status.Code.class);
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile long maxLagNanos;
  private ScheduledExecutorService retries;
  private volatile long windowStart;
  private volatile long windowEnd;
  private volatile boolean stopped;

  private LoadGenerator(Builder b) {
    this.operation = b.operation;
    this.rate = b.rate;
    this.concurrency = b.concurrency;
    this.warmupNanos = b.warmup.toNanos();
    this.durationNanos = b.duration.toNanos();
    this.drainNanos = b.drain.toNanos();
    this.retry = b.retry;
    this.maxOutstanding = b.maxOutstanding;
    this.random = new Random(b.seed);
    this.listener = b.listener;
    for (Status.Code code : Status.Code.values()) {
      failures.put(code, new LongAdder());
    }
  }

  /** Poisson arrivals of {@code ratePerSecond} logical requests per second. */
  public static Builder openLoop(double ratePerSecond, Operation operation) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + " (expected: > 0)");
    }
    return new Builder(operation, ratePerSecond, 0);
  }

  /** {@code concurrency} logical requests in flight at all times. */
  public static Builder closedLoop(int concurrency, Operation operation) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    return new Builder(operation, 0, concurrency);
  }

  /** Runs warm-up, window and drain; returns what the window measured. Blocks the caller. */
  public LoadResult run() {
    retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-retries");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    windowStart = start + warmupNanos;
    windowEnd = windowStart + durationNanos;
    try {
      if (rate > 0) {
        arrive(start);
      } else {
        for (int i = 0; i < concurrency; i++) {
          startLogical(System.nanoTime());
        }
        sleepUntil(windowStart);
        openWindow();
        sleepUntil(windowEnd);
      }
      listener.closed();
      stopped = true;
      long drainEnd = System.nanoTime() + drainNanos;
      while (outstanding.get() > 0 && System.nanoTime() < drainEnd) {
        LockSupport.parkNanos(1_000_000);
      }
    } finally {
      stopped = true;
      retries.shutdownNow();
    }
    Map<Status.Code, Long> failed = new EnumMap<>(Status.Code.class);
    failures.forEach((code, n) -> {
      if (n.sum() > 0) {
        failed.put(code, n.sum());
      }
    });
    Histogram h = latency.getIntervalHistogram();
    return new LoadResult(durationNanos, arrivals.sum(), attempts.sum(), successes.sum(), gaveUp.sum(),
        dropped.sum(), failed, h, maxLagNanos);
  }

  /**
   * Open loop: exponential inter-arrival times; overdue arrivals are sent at once (catch-up), so a late thread never
   * loses arrivals. Returns when the window is over.
   */
  private void arrive(long start) {
    double meanNanos = 1e9 / rate;
    long next = start;
    while (next < windowEnd) {
      long now = System.nanoTime();
      if (now >= windowStart) {
        openWindow();
      }
      while (next <= now && next < windowEnd) {
        if (outstanding.get() >= maxOutstanding) {
          if (inWindow(next)) {
            dropped.increment();
          }
        } else {
          long lag = now - next;
          if (lag > maxLagNanos && inWindow(next)) {
            maxLagNanos = lag;
          }
          startLogical(next);
        }
        next += (long) (-Math.log(1 - random.nextDouble()) * meanNanos);
      }
      if (next < windowEnd) {
        LockSupport.parkNanos(Math.max(10_000, Math.min(next - System.nanoTime(), 1_000_000)));
      }
    }
    sleepUntil(windowStart);
    openWindow();
    sleepUntil(windowEnd);
  }

  private void openWindow() {
    if (!opened) {
      opened = true;
      listener.opened();
    }
  }

  private void startLogical(long scheduledAt) {
    outstanding.incrementAndGet();
    if (inWindow(scheduledAt)) {
      arrivals.increment();
    }
    attempt(1, scheduledAt);
  }

  private void attempt(int n, long startedAt) {
    if (inWindow(startedAt)) {
      attempts.increment();
    }
    CompletionStage<?> stage;
    try {
      stage = operation.call(n);
    } catch (RuntimeException e) {
      finished(n, startedAt, e);
      return;
    }
    stage.whenComplete((v, e) -> finished(n, startedAt, e));
  }

  private void finished(int n, long startedAt, Throwable failure) {
    long now = System.nanoTime();
    boolean counted = inWindow(now);
    if (failure == null) {
      if (counted) {
        successes.increment();
        latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - startedAt) / 1_000)));
      }
      logicalDone();
      return;
    }
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (counted) {
      failures.get(Status.fromThrowable(cause).getCode()).increment();
    }
    long delay = stopped ? -1 : retry.delayNanos(cause, n);
    if (delay < 0) {
      if (counted) {
        gaveUp.increment();
      }
      logicalDone();
    } else if (delay == 0) {
      nested(() -> attempt(n + 1, System.nanoTime()), true);
    } else {
      try {
        retries.schedule(() -> {
          if (stopped) {
            logicalDone();
          } else {
            attempt(n + 1, System.nanoTime());
          }
        }, delay, TimeUnit.NANOSECONDS);
      } catch (RuntimeException rejected) {
        logicalDone(); // the run is over
      }
    }
  }

  private void logicalDone() {
    outstanding.decrementAndGet();
    if (rate == 0 && !stopped && System.nanoTime() < windowEnd) {
      nested(() -> startLogical(System.nanoTime()), false);
    }
  }

  /**
   * Runs {@code next} on this thread unless completions have already nested deep here (an operation that fails
   * synchronously would otherwise recurse without bound); then on the generator's own thread.
   */
  private void nested(Runnable next, boolean holdsOutstanding) {
    int[] depth = NESTING.get();
    if (depth[0] >= MAX_NESTING) {
      try {
        retries.execute(next);
      } catch (RuntimeException rejected) {
        if (holdsOutstanding) {
          outstanding.decrementAndGet(); // the run is over
        }
      }
      return;
    }
    depth[0]++;
    try {
      next.run();
    } finally {
      depth[0]--;
    }
  }

  private boolean inWindow(long t) {
    return t >= windowStart && t < windowEnd;
  }

  private static void sleepUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(Math.min(left, 100_000_000));
    }
  }

  /**
   * Told on the generator's control thread when the measurement window opens and when it closes (before the
   * drain). Must be quick (a {@code /proc} read is fine): open-loop arrivals wait meanwhile, then catch up.
   */
  public interface WindowListener {
    default void opened() {
    }

    default void closed() {
    }
  }

  /** Builds a {@link LoadGenerator}. Not thread-safe. */
  public static final class Builder {
    private final Operation operation;
    private final double rate;
    private final int concurrency;
    private Duration warmup = Duration.ofSeconds(1);
    private Duration duration = Duration.ofSeconds(5);
    private Duration drain = Duration.ofSeconds(2);
    private RetryPolicy retry = RetryPolicy.NONE;
    private int maxOutstanding = 20_000;
    private long seed = 42;
    private WindowListener listener = new WindowListener() {};

    private Builder(Operation operation, double rate, int concurrency) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.rate = rate;
      this.concurrency = concurrency;
    }

    /** Load before the window, not counted (JIT, connections, limits settling); default 1 s. */
    public Builder warmup(Duration warmup) {
      this.warmup = nonNegative("warmup", warmup);
      return this;
    }

    /** The measurement window; default 5 s. */
    public Builder duration(Duration duration) {
      if (duration.isZero()) {
        throw new IllegalArgumentException("duration: 0 (expected: > 0)");
      }
      this.duration = nonNegative("duration", duration);
      return this;
    }

    /** How long to wait for outstanding requests after the window; default 2 s. */
    public Builder drain(Duration drain) {
      this.drain = nonNegative("drain", drain);
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Open loop: logical requests outstanding at most; default 20 000. */
    public Builder maxOutstanding(int maxOutstanding) {
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding + " (expected: >= 1)");
      }
      this.maxOutstanding = maxOutstanding;
      return this;
    }

    /** Seed of the arrival process; default 42 (runs are comparable). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Told when the measurement window opens and closes (e.g. to read server CPU for exactly the window). */
    public Builder windowListener(WindowListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public LoadGenerator build() {
      return new LoadGenerator(this);
    }

    private static Duration nonNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
      }
      return d;
    }
  }
}
