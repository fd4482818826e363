package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashingExecutorTest {
  private final AtomicLong nanos = new AtomicLong();
  private final HashingExecutor executor = new HashingExecutor(1, 2, 50_000_000L, nanos::get);

  @AfterEach
  void close() {
    executor.close();
  }

  private static CallerPatience patience(AtomicBoolean gone, long remaining) {
    return new CallerPatience() {
      @Override
      public boolean gone() {
        return gone.get();
      }

      @Override
      public long remainingNanos() {
        return remaining;
      }
    };
  }

  @Test
  void runsWork_andMeasuresServiceTime() throws Exception {
    CompletableFuture<String> f = executor.submit(() -> {
      nanos.addAndGet(10_000_000L);
      return "done";
    }, CallerPatience.UNBOUNDED);

    assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    // EWMA 1/8 towards 10 ms from 50 ms.
    assertThat(executor.serviceTimeNanos()).isEqualTo(45_000_000L);
  }

  @Test
  void fullQueue_isRefusedAtOnce_withoutRunningTheWork() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    executor.submit(() -> {
      started.countDown();
      await(release);
      return ran.incrementAndGet();
    }, CallerPatience.UNBOUNDED);
    started.await(5, TimeUnit.SECONDS);
    var queued1 = executor.submit(ran::incrementAndGet, CallerPatience.UNBOUNDED);
    var queued2 = executor.submit(ran::incrementAndGet, CallerPatience.UNBOUNDED);
    var refused = executor.submit(ran::incrementAndGet, CallerPatience.UNBOUNDED);

    assertThat(executor.queued()).isEqualTo(2);
    assertThatThrownBy(refused::get).cause().isInstanceOf(OverloadedException.class);
    assertThat(executor.rejected()).isEqualTo(1);
    release.countDown();
    queued1.get(5, TimeUnit.SECONDS);
    queued2.get(5, TimeUnit.SECONDS);
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void callerGoneWhileQueued_isSkipped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    executor.submit(() -> await(release), CallerPatience.UNBOUNDED);
    AtomicBoolean gone = new AtomicBoolean();
    AtomicBoolean ran = new AtomicBoolean();
    var f = executor.submit(() -> ran.getAndSet(true), patience(gone, Long.MAX_VALUE));

    gone.set(true);
    release.countDown();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CallerGoneException.class);
    assertThat(ran).isFalse();
    assertThat(executor.skipped()).isEqualTo(1);
  }

  @Test
  void deadlineShorterThanServiceTime_isSkipped() {
    AtomicBoolean ran = new AtomicBoolean();
    var f = executor.submit(() -> ran.getAndSet(true), patience(new AtomicBoolean(), 49_000_000L));

    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(CallerGoneException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void workThatThrows_failsItsFutureOnly() throws Exception {
    var bad = executor.submit(() -> {
      throw new AuthFailure(AuthFailure.Reason.BAD_CREDENTIALS);
    }, CallerPatience.UNBOUNDED);
    var good = executor.submit(() -> 1, CallerPatience.UNBOUNDED);

    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(AuthFailure.class);
    assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void drain_finishesQueuedWork_thenRefuses() throws Exception {
    var f = executor.submit(() -> 7, CallerPatience.UNBOUNDED);

    assertThat(executor.drain(5_000)).isTrue();
    assertThat(f.get()).isEqualTo(7);
    assertThatThrownBy(() -> executor.submit(() -> 8, CallerPatience.UNBOUNDED).get())
        .cause().isInstanceOf(OverloadedException.class).hasMessageContaining("shutting down");
  }

  @Test
  void constructor_validates() {
    assertThatThrownBy(() -> new HashingExecutor(0, 1, 1, System::nanoTime)).hasMessageContaining("threads: 0");
    assertThatThrownBy(() -> new HashingExecutor(1, 0, 1, System::nanoTime))
        .hasMessageContaining("queueCapacity: 0");
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
