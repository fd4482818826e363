package dev.stampede.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator against in-memory operations (no network): arrival process, concurrency, retries. */
class LoadGeneratorTest {
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private CompletableFuture<Void> after(long millis) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    timer.schedule(() -> f.complete(null), millis, TimeUnit.MILLISECONDS);
    return f;
  }

  private static CompletableFuture<Void> failed(Status status, Long pushbackMs) {
    Metadata trailers = new Metadata();
    if (pushbackMs != null) {
      trailers.put(RetryPolicy.PUSHBACK, Long.toString(pushbackMs));
    }
    return CompletableFuture.failedFuture(status.asRuntimeException(trailers));
  }

  @Test
  void openLoop_sendsExactlyThePoissonArrivalsOfItsSeed() {
    double rate = 400;
    Duration window = Duration.ofMillis(700);
    LoadResult r = LoadGenerator.openLoop(rate, attempt -> CompletableFuture.completedFuture(null))
        .warmup(Duration.ZERO).duration(window).seed(7).build().run();

    Random random = new Random(7);
    List<Long> scheduled = new java.util.ArrayList<>();
    long t = 0;
    while (t < window.toNanos()) {
      scheduled.add(t);
      t += (long) (-Math.log(1 - random.nextDouble()) * (1e9 / rate));
    }
    assertThat(r.arrivals()).isEqualTo(scheduled.size());
    assertThat(r.dropped()).isZero();
    assertThat(r.failures()).isEmpty();
    // A success counts when it completes inside the window: only arrivals the generator sent late, in the window's
    // last (max lag + 50 ms of scheduling slack), may complete after it.
    long lateFrom = window.toNanos() - (long) (r.maxLagMillis() * 1e6) - TimeUnit.MILLISECONDS.toNanos(50);
    long mayMiss = scheduled.stream().filter(s -> s >= lateFrom).count();
    assertThat(r.successes()).isBetween(scheduled.size() - mayMiss, (long) scheduled.size());
  }

  @Test
  void closedLoop_keepsExactlyKInFlight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    LoadResult r = LoadGenerator.closedLoop(4, attempt -> {
      max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return after(2).whenComplete((v, e) -> inFlight.decrementAndGet());
    }).warmup(Duration.ofMillis(100)).duration(Duration.ofMillis(400)).build().run();

    assertThat(max.get()).isEqualTo(4);
    assertThat(r.successes()).isPositive();
    assertThat(r.p50Millis()).isGreaterThanOrEqualTo(1.9);
    assertThat(r.failures()).isEmpty();
  }

  @Test
  void immediateRetry_retriesAtOnceUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();
    LoadResult r = LoadGenerator.closedLoop(1, attempt -> {
      calls.incrementAndGet();
      return attempt < 3 ? failed(Status.DEADLINE_EXCEEDED, null) : after(5);
    }).warmup(Duration.ZERO).duration(Duration.ofMillis(300)).retry(RetryPolicy.immediate(5)).build().run();

    // Two failed attempts per success; the last request's success may fall after the window.
    assertThat(r.failures(Status.Code.DEADLINE_EXCEEDED)).isBetween(2 * r.successes(), 2 * r.successes() + 2);
    assertThat(r.successes()).isPositive();
    assertThat(r.gaveUp()).isZero();
  }

  @Test
  void pushbackRetry_waitsTheDelayTheServerAskedFor() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    // A very low rate: the first arrival is at the start of the window, the next one far after it.
    LoadGenerator.openLoop(0.01, attempt -> {
      starts.add(System.nanoTime());
      return attempt == 1 ? failed(Status.RESOURCE_EXHAUSTED, 120L) : CompletableFuture.completedFuture(null);
    }).warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).drain(Duration.ofSeconds(2))
        .retry(RetryPolicy.obeyPushback(3, Duration.ofMillis(10))).build().run();

    assertThat(starts).hasSize(2);
    assertThat(starts.get(1) - starts.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
  }

  @Test
  void retries_stopAfterMaxAttempts_andNonRetryableCodesAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    // One arrival (the seed's next one is minutes away), and a window long enough for all four attempts.
    LoadResult r = LoadGenerator.openLoop(0.01, attempt -> {
      calls.incrementAndGet();
      return failed(Status.UNAVAILABLE, 0L);
    }).warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).retry(RetryPolicy.obeyPushback(4, Duration.ZERO))
        .build().run();
    assertThat(calls.get()).isEqualTo(4);
    assertThat(r.gaveUp()).isEqualTo(1);

    AtomicInteger denied = new AtomicInteger();
    LoadGenerator.openLoop(0.01, attempt -> {
      denied.incrementAndGet();
      return failed(Status.UNAUTHENTICATED, null);
    }).warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).retry(RetryPolicy.obeyPushback(4, Duration.ZERO))
        .build().run();
    assertThat(denied.get()).isEqualTo(1);
  }

  @Test
  void synchronouslyFailingOperation_doesNotOverflowTheStack() {
    LoadResult r = LoadGenerator.closedLoop(1, attempt -> {
      throw Status.UNAVAILABLE.asRuntimeException();
    }).warmup(Duration.ZERO).duration(Duration.ofMillis(200)).retry(RetryPolicy.immediate(3)).build().run();

    assertThat(r.failures(Status.Code.UNAVAILABLE)).isGreaterThan(100);
    assertThat(r.successes()).isZero();
  }

  @Test
  void openLoop_capsOutstandingRequests() {
    LoadResult r = LoadGenerator.openLoop(2_000, attempt -> new CompletableFuture<>())
        .warmup(Duration.ZERO).duration(Duration.ofMillis(300)).drain(Duration.ZERO).maxOutstanding(50)
        .build().run();

    assertThat(r.arrivals()).isEqualTo(50);
    assertThat(r.dropped()).isPositive();
  }
}
