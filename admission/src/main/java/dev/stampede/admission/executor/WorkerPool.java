package dev.stampede.admission.executor;

import dev.stampede.admission.OverloadException;
import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.calendar.RetryCalendar;
import dev.stampede.admission.grpc.AdmissionContext;
import dev.stampede.admission.limit.AdaptiveLimit;
import dev.stampede.admission.limit.LimitAlgorithm;
import dev.stampede.admission.limit.PriorityShares;
import dev.stampede.admission.metrics.AdmissionMetrics;
import dev.stampede.admission.metrics.MethodMetrics;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.queue.Outcome;
import dev.stampede.admission.queue.Permit;
import dev.stampede.admission.queue.QueueTimePolicy;
import dev.stampede.admission.queue.Waiter;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A fixed pool of worker threads for expensive work (password hashing, the overload benchmark's CPU burn) whose
 * queue is part of what admission protects.
 *
 * <p><b>Protected</b> (admission on): tasks wait in a bounded priority queue with the same rules as calls
 * (CoDel queue time, priority order from the call's {@link AdmissionContext}); a task whose call was
 * cancelled, whose deadline has passed, or whose remaining deadline is shorter than the pool's measured task time
 * is never run. One difference: under overload a task may wait as long as the workers need to work through a full
 * queue ({@code ceil(queueCapacity / threads)} task times, at least {@link #MIN_MAX_WAIT} allowed), not one task
 * time. The pool sits behind the calls' own admission, which already bounds how much work reaches it; with a 2-thread
 * pool and a 60–150 ms hash, one task time of waiting expired most of a burst of log-ins before a worker freed, and
 * the workers idled at a third of their rate while the callers were refused ({@code queue_timeout}). Refused tasks fail their future with an {@link OverloadException} whose delay comes from the pool's
 * own retry calendar (its budget is the pool's throughput, not the server's).
 *
 * <p><b>Naive</b> (admission off — the 2007 baseline): an unbounded FIFO queue in front of the threads, no deadline
 * checks; work runs even for clients that have long given up.
 *
 * <p>{@link #submit} captures the current gRPC {@link Context} (deadline, cancellation) and runs the task in it.
 * Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {
  private static final double TASK_TIME_ALPHA = 0.1;
  /** The least a task may wait in a protected pool when it is not overloaded (the calls' max-time, if longer). */
  public static final Duration MIN_MAX_WAIT = Duration.ofSeconds(2);

  private final String name;
  private final ThreadPoolExecutor threads;
  private final AdmissionController controller;
  private final RetryCalendar calendar;
  private final MethodMetrics metrics;
  private final LongSupplier ticker;
  private final Priority defaultPriority;
  private final int drainRounds;
  private volatile double taskNanos;

  private WorkerPool(String name, ThreadPoolExecutor threads, AdmissionController controller,
      Function<AdmissionController, RetryCalendar> calendar, AdmissionMetrics metrics, LongSupplier ticker,
      Priority defaultPriority, int drainRounds) {
    this.name = name;
    this.drainRounds = drainRounds;
    this.threads = threads;
    this.controller = controller;
    this.calendar = controller == null ? null : calendar.apply(controller);
    this.metrics = metrics.method("pool:" + name);
    this.ticker = ticker;
    this.defaultPriority = defaultPriority;
    metrics.bindPool(name,
        controller == null ? () -> threads.getQueue().size() : controller::queued,
        controller == null ? threads::getActiveCount : controller::inflight);
  }

  /**
   * A protected pool.
   *
   * @param queueCapacity tasks that may wait (across priorities)
   * @param calendar builds the pool's retry calendar from its controller (whose throughput it follows)
   * @param defaultPriority the priority of tasks submitted outside an admitted call
   */
  public static WorkerPool bounded(String name, int threads, int queueCapacity, QueueTimePolicy queueTime,
      Function<AdmissionController, RetryCalendar> calendar, AdmissionMetrics metrics, LongSupplier ticker,
      ScheduledExecutorService scheduler, Priority defaultPriority) {
    checkThreads(threads);
    AdmissionController controller = AdmissionController.builder(
            AdaptiveLimit.create(LimitAlgorithm.FIXED, threads, threads, threads))
        .shares(PriorityShares.none())
        .queueCapacity(queueCapacity)
        .queueTime(poolQueueTime(queueTime))
        .ticker(ticker)
        .scheduler(scheduler)
        .build();
    int drainRounds = Math.max(1, (queueCapacity + threads - 1) / threads);
    return new WorkerPool(name, newThreads(name, threads), controller, Objects.requireNonNull(calendar, "calendar"),
        metrics, ticker, Objects.requireNonNull(defaultPriority, "defaultPriority"), drainRounds);
  }

  /**
   * The calls' queue-time policy with room for a full queue of long tasks (at least {@link #MIN_MAX_WAIT}), and
   * always first in, first out. The calls' limit already bounds what reaches the pool, so a standing queue here is
   * the limit's own backlog, not overload: served LIFO, the oldest tasks starved behind each new one until they
   * timed out — 161 of 718 log-ins refused with {@code queue_timeout} from a closed loop of 8 on a 2-thread pool
   * whose threads never idled.
   */
  static QueueTimePolicy poolQueueTime(QueueTimePolicy calls) {
    QueueTimePolicy.Builder b = QueueTimePolicy.builder()
        .target(Duration.ofNanos(calls.targetNanos()))
        .interval(Duration.ofNanos(calls.intervalNanos()))
        .lifoWhenOverloaded(false);
    for (Priority p : Priority.values()) {
      b.maxQueueTime(p, Duration.ofNanos(Math.max(calls.allowedNanos(p, false), MIN_MAX_WAIT.toNanos())));
    }
    return b.build();
  }

  /** A naive pool: unbounded FIFO queue, no checks (admission off). */
  public static WorkerPool naive(String name, int threads, AdmissionMetrics metrics) {
    checkThreads(threads);
    return new WorkerPool(name, newThreads(name, threads), null, c -> null, metrics, System::nanoTime,
        Priority.SHEDDABLE, 1);
  }

  /**
   * Runs {@code task} on a worker, in the caller's gRPC context.
   *
   * @return a future completed with the task's result or exception; with an {@link OverloadException} when the
   *     protected pool refuses the task, or a {@code CANCELLED}/{@code DEADLINE_EXCEEDED} status exception when the
   *     call ended before a worker took it
   */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    Context context = Context.current();
    CompletableFuture<T> future = new CompletableFuture<>();
    if (controller == null) {
      threads.execute(context.wrap(() -> runNaive(task, future)));
      return future;
    }
    AdmissionContext admission = AdmissionContext.current();
    Priority priority = admission != null ? admission.priority() : defaultPriority;
    Deadline deadline = context.getDeadline();
    long deadlineNanos = deadline == null
        ? Waiter.NO_DEADLINE
        : ticker.getAsLong() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    Task<T> t = new Task<>(priority, deadlineNanos, (long) taskNanos, task, future, context);
    switch (controller.offer(t)) {
      case ADMITTED:
        metrics.admitted(priority, 0);
        dispatch(t, t.permit());
        break;
      case REJECTED:
        refuse(t, t.rejection());
        break;
      default:
        break;
    }
    return future;
  }

  public String name() {
    return name;
  }

  /** Whether this pool bounds its queue and checks deadlines (admission on). */
  public boolean isProtected() {
    return controller != null;
  }

  /** Tasks waiting for a worker. */
  public int queued() {
    return controller != null ? controller.queued() : threads.getQueue().size();
  }

  /** The measured time of one task, in nanoseconds (0 before the first). */
  public long taskNanos() {
    return (long) taskNanos;
  }

  /** Stops the threads; queued tasks of a protected pool fail with {@link RejectReason#DRAINING}. */
  @Override
  public void close() {
    if (controller != null) {
      controller.rejectQueued(RejectReason.DRAINING);
    }
    threads.shutdown();
  }

  private <T> void dispatch(Task<T> t, Permit permit) {
    try {
      threads.execute(() -> run(t, permit));
    } catch (RuntimeException e) {
      permit.release(Outcome.IGNORED);
      t.future.completeExceptionally(OverloadException.of(RejectReason.DRAINING));
    }
  }

  private <T> void run(Task<T> t, Permit permit) {
    if (t.context.isCancelled()) {
      // The client left (or its deadline passed) while the task waited: the work would be for nobody.
      permit.release(Outcome.IGNORED);
      Status status = Status.fromThrowable(t.context.cancellationCause());
      t.future.completeExceptionally(
          (status.getCode() == Status.Code.UNKNOWN ? Status.CANCELLED : status).asRuntimeException());
      return;
    }
    long start = ticker.getAsLong();
    try {
      T value = t.context.call(t.task);
      long took = ticker.getAsLong() - start;
      double e = taskNanos;
      taskNanos = e == 0 ? took : e + TASK_TIME_ALPHA * (took - e);
      permit.release(Outcome.SUCCESS);
      t.future.complete(value);
    } catch (Throwable e) {
      permit.release(Outcome.SUCCESS);
      t.future.completeExceptionally(e);
    }
  }

  private static <T> void runNaive(Callable<T> task, CompletableFuture<T> future) {
    try {
      future.complete(task.call());
    } catch (Throwable e) {
      future.completeExceptionally(e);
    }
  }

  private void refuse(Task<?> t, RejectReason reason) {
    metrics.rejected(t.priority(), reason);
    if (reason == RejectReason.DEADLINE_TOO_SHORT) {
      // Refused tasks never measure anything: shrink a possibly stale estimate so it cannot refuse forever.
      taskNanos = taskNanos * 0.95;
    }
    t.future.completeExceptionally(OverloadException.retryAfter(reason, calendar.bookMillis()));
  }

  private static void checkThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
  }

  private static ThreadPoolExecutor newThreads(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread thread = new Thread(r, "stampede-pool-" + name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    // Unbounded on purpose: the naive pool's queue is the unbounded one; a protected pool never hands it more
    // tasks than it has threads (its controller's fixed limit).
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
  }

  /** Visible for diagnostics. */
  ExecutorService executor() {
    return threads;
  }

  private final class Task<T> extends Waiter {
    final Callable<T> task;
    final CompletableFuture<T> future;
    final Context context;

    Task(Priority priority, long deadlineNanos, long expectedNanos, Callable<T> task, CompletableFuture<T> future,
        Context context) {
      super(priority, deadlineNanos, expectedNanos);
      this.task = task;
      this.future = future;
      this.context = context;
    }

    /** A full queue's worth of task times: what the workers need to reach the oldest task. */
    @Override
    public long waitBasisNanos() {
      return expectedServiceNanos() * drainRounds;
    }

    @Override
    protected void admitted(Permit permit, long queuedNanos) {
      metrics.admitted(priority(), queuedNanos);
      dispatch(this, permit);
    }

    @Override
    protected void rejected(RejectReason reason, long queuedNanos) {
      refuse(this, reason);
    }
  }
}
