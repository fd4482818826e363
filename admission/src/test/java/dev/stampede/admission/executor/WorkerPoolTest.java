package dev.stampede.admission.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
  private Admission admission;
  private WorkerPool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
    if (admission != null) {
      admission.close();
    }
    deadlines.shutdownNow();
  }

  private WorkerPool pool(boolean enabled, int queue) {
    admission = Admission.builder("test").config(AdmissionConfig.builder().enabled(enabled).build()).build();
    pool = admission.newWorkerPool("hash", 1, queue);
    return pool;
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("task succeeded");
  }

  /** Blocks the only worker until the returned latch is counted down. */
  private CountDownLatch occupy(WorkerPool p) {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    p.submit(() -> {
      running.countDown();
      return release.await(10, TimeUnit.SECONDS);
    });
    try {
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return release;
  }

  @Test
  void protectedPool_neverRunsTaskForACallWhoseDeadlinePassedWhileQueued() throws Exception {
    WorkerPool p = pool(true, 10);
    CountDownLatch release = occupy(p);
    AtomicInteger hashed = new AtomicInteger();
    Context.CancellableContext call = Context.current().withDeadline(
        Deadline.after(50, TimeUnit.MILLISECONDS), deadlines);

    CompletableFuture<Integer> task = call.call(() -> p.submit(hashed::incrementAndGet));
    await().atMost(Duration.ofSeconds(5)).until(call::isCancelled);
    release.countDown();

    Throwable e = failure(task);
    assertThat(hashed.get()).isZero();
    assertThat(e).isInstanceOfAny(StatusRuntimeException.class, OverloadException.class);
    if (e instanceof StatusRuntimeException) {
      assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void protectedPool_keepsTheCallsTargetButLetsAFullQueueOfLongTasksWait() {
    dev.stampede.admission.queue.QueueTimePolicy calls = dev.stampede.admission.queue.QueueTimePolicy.builder()
        .maxQueueTime(Duration.ofMillis(100))
        .maxQueueTime(dev.stampede.admission.Priority.RESUME, Duration.ofSeconds(5)).build();

    dev.stampede.admission.queue.QueueTimePolicy pooled = WorkerPool.poolQueueTime(calls);

    assertThat(pooled.targetNanos()).isEqualTo(calls.targetNanos());
    assertThat(pooled.intervalNanos()).isEqualTo(calls.intervalNanos());
    assertThat(pooled.allowedNanos(dev.stampede.admission.Priority.LOGIN, false))
        .isEqualTo(WorkerPool.MIN_MAX_WAIT.toNanos());
    assertThat(pooled.allowedNanos(dev.stampede.admission.Priority.RESUME, false))
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    // Under overload: 8 task times of 10 ms (a queue of 16 before 2 threads) fit, 8 of 60 ms (longer than the
    // interval) keep the maximum; work of unknown length keeps 5 ms.
    long task = Duration.ofMillis(10).toNanos();
    assertThat(pooled.allowedNanos(dev.stampede.admission.Priority.LOGIN, true, 8 * task)).isEqualTo(8 * task);
    long hash = Duration.ofMillis(60).toNanos();
    assertThat(pooled.allowedNanos(dev.stampede.admission.Priority.LOGIN, true, 8 * hash))
        .isEqualTo(WorkerPool.MIN_MAX_WAIT.toNanos());
    assertThat(pooled.allowedNanos(dev.stampede.admission.Priority.LOGIN, true))
        .isEqualTo(Duration.ofMillis(5).toNanos());
    // The calls' queue serves the newest first under overload; the pool, fed only what the calls' limit admits,
    // never does: its oldest task would starve behind each new one.
    assertThat(calls.lifo(true)).isTrue();
    assertThat(pooled.lifo(true)).isFalse();
  }

  @Test
  void protectedPool_refusesWhenItsQueueIsFull() throws Exception {
    WorkerPool p = pool(true, 1);
    CountDownLatch release = occupy(p);
    CompletableFuture<String> queued = p.submit(() -> "queued");

    Throwable e = failure(p.submit(() -> "too many"));

    assertThat(e).isInstanceOfSatisfying(OverloadException.class, o -> {
      assertThat(o.reason()).isEqualTo(RejectReason.OVERLOADED);
      assertThat(o.retryAfterMillis()).isGreaterThanOrEqualTo(100);
    });
    release.countDown();
    assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
  }

  @Test
  void protectedPool_refusesTasksWhoseDeadlineIsShorterThanTheTaskTime() throws Exception {
    WorkerPool p = pool(true, 10);
    for (int i = 0; i < 3; i++) {
      p.submit(() -> {
        Thread.sleep(100);
        return null;
      }).get(5, TimeUnit.SECONDS);
    }
    AtomicInteger ran = new AtomicInteger();
    Context.CancellableContext call = Context.current().withDeadline(
        Deadline.after(20, TimeUnit.MILLISECONDS), deadlines);

    Throwable e = failure(call.call(() -> p.submit(ran::incrementAndGet)));

    assertThat(e).isInstanceOfSatisfying(OverloadException.class,
        o -> assertThat(o.reason()).isEqualTo(RejectReason.DEADLINE_TOO_SHORT));
    assertThat(ran.get()).isZero();
    call.cancel(null);
  }

  @Test
  void naivePool_keepsWorkingForClientsThatGaveUp() throws Exception {
    WorkerPool p = pool(false, 1);
    CountDownLatch release = occupy(p);
    AtomicInteger hashed = new AtomicInteger();
    Context.CancellableContext call = Context.current().withDeadline(
        Deadline.after(20, TimeUnit.MILLISECONDS), deadlines);
    CompletableFuture<Integer> task = null;
    for (int i = 0; i < 5; i++) {
      task = call.call(() -> p.submit(hashed::incrementAndGet));
    }
    await().atMost(Duration.ofSeconds(5)).until(call::isCancelled);
    assertThat(p.queued()).isEqualTo(5);

    release.countDown();

    assertThat(task.get(5, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(p.isProtected()).isFalse();
  }
}
