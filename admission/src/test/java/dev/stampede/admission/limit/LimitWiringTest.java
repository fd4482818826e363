package dev.stampede.admission.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.Gradient2Limit;
import dev.stampede.admission.FakeTicker;
import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.queue.Outcome;
import dev.stampede.admission.queue.Permit;
import dev.stampede.admission.queue.Waiter;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** What the limit algorithm learns from admission, and how the default algorithm behaves on a real-ish server. */
class LimitWiringTest {
  private final FakeTicker ticker = new FakeTicker();

  private static Waiter waiter(Priority p) {
    return new Waiter(p, Waiter.NO_DEADLINE, 0) {
      @Override
      protected void admitted(Permit permit, long queuedNanos) {
      }

      @Override
      protected void rejected(RejectReason reason, long queuedNanos) {
      }
    };
  }

  @Test
  void admittedWork_isSampledWithItsRttAndTheInflightCountAtStart() {
    RecordingLimit limit = new RecordingLimit(5);
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 5)).ticker(ticker).build();
    Waiter first = waiter(Priority.LOGIN);
    Waiter second = waiter(Priority.LOGIN);
    c.offer(first);
    c.offer(second);

    ticker.advanceMillis(7);
    second.permit().release(Outcome.SUCCESS);

    assertThat(limit.samples).singleElement().satisfies(s -> {
      assertThat(s.rtt).isEqualTo(Duration.ofMillis(7).toNanos());
      assertThat(s.inflight).isEqualTo(2);
      assertThat(s.didDrop).isFalse();
    });
  }

  @Test
  void refusedCalls_neverReachTheAlgorithm() {
    RecordingLimit limit = new RecordingLimit(1);
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1))
        .queueCapacity(0).ticker(ticker).build();
    c.offer(waiter(Priority.LOGIN));
    for (int i = 0; i < 100; i++) {
      assertThat(c.offer(waiter(Priority.LOGIN))).isEqualTo(AdmissionController.Offer.REJECTED);
    }

    assertThat(limit.samples).isEmpty();
  }

  @Test
  void abandonedWork_isADrop_andDependencyFailuresAreIgnored() {
    RecordingLimit limit = new RecordingLimit(5);
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 5)).ticker(ticker).build();
    Waiter cancelled = waiter(Priority.LOGIN);
    Waiter redisDown = waiter(Priority.LOGIN);
    c.offer(cancelled);
    c.offer(redisDown);

    cancelled.permit().release(Outcome.of(Status.Code.CANCELLED));
    redisDown.permit().release(Outcome.of(Status.Code.UNAVAILABLE));

    assertThat(limit.samples).singleElement().satisfies(s -> assertThat(s.didDrop).isTrue());
  }

  @Test
  void outcome_classifiesStatusCodes() {
    assertThat(Outcome.of(Status.Code.OK)).isEqualTo(Outcome.SUCCESS);
    assertThat(Outcome.of(Status.Code.UNAUTHENTICATED)).isEqualTo(Outcome.SUCCESS);
    assertThat(Outcome.of(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(Outcome.DROPPED);
    assertThat(Outcome.of(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(Outcome.DROPPED);
    assertThat(Outcome.of(Status.Code.UNAVAILABLE)).isEqualTo(Outcome.IGNORED);
    assertThat(Outcome.of(Status.Code.INTERNAL)).isEqualTo(Outcome.IGNORED);
  }

  @Test
  void gradient2_dropsAreNotFedAsFastRtts() {
    AdaptiveLimit wired = AdaptiveLimit.create(LimitAlgorithm.GRADIENT2, 20, 1, 1000);
    Gradient2Limit naive = Gradient2Limit.newBuilder().initialLimit(20).minLimit(1).maxConcurrency(1000).build();
    long slow = Duration.ofMillis(50).toNanos();
    for (int i = 0; i < 50; i++) {
      wired.onSuccess(0, slow, 1000);
      naive.onSample(0, slow, 1000, false);
    }
    int wiredBefore = wired.current();
    int naiveBefore = naive.getLimit();

    for (int i = 0; i < 200; i++) {
      wired.onDropped(0, 1_000, 1000);
      naive.onSample(0, 1_000, 1000, true);
    }

    assertThat(wired.current()).isEqualTo(wiredBefore);
    // What feeding the drops would have done: 0.5.4's Gradient2 ignores didDrop, so the abandoned calls' short
    // elapsed times read as spare capacity and the limit grows in the middle of an overload.
    assertThat(naive.getLimit()).isGreaterThan(naiveBefore);
  }

  @Test
  void vegas_dropsReduceTheLimit() {
    AdaptiveLimit vegas = AdaptiveLimit.create(LimitAlgorithm.VEGAS, 20, 1, 200);
    long rtt = Duration.ofMillis(2).toNanos();
    vegas.onSuccess(0, rtt, 20);
    int before = vegas.current();
    for (int i = 0; i < 5; i++) {
      vegas.onDropped(0, rtt, 20);
    }
    assertThat(vegas.current()).isLessThan(before);
  }

  @Test
  void fixedLimit_neverMoves() {
    AdaptiveLimit fixed = AdaptiveLimit.create(LimitAlgorithm.FIXED, 7, 7, 7);
    for (int i = 0; i < 100; i++) {
      fixed.onSuccess(0, 1, 7);
      fixed.onDropped(0, 1_000_000_000L, 7);
    }
    assertThat(fixed.current()).isEqualTo(7);
  }

  /**
   * One worker thread serving 2 ms jobs (the overload benchmark's server), offered far more than it can serve:
   * Vegas must bring the limit from 20 down to a handful, so queueing behind the worker stays a few ms, and it must
   * not be frozen by the library's log10 steps (which are 0 below 10).
   */
  @Test
  void vegas_onAOneThreadServer_settlesNearItsNaturalConcurrency() {
    int limit = simulateOneWorker(AdaptiveLimit.create(LimitAlgorithm.VEGAS, 20, 1, 1000), 3_000);
    assertThat(limit).isBetween(2, 6);
  }

  @Test
  void vegas_afterLoadFalls_isNotStuckAtTheMinimum() {
    AdaptiveLimit vegas = AdaptiveLimit.create(LimitAlgorithm.VEGAS, 1, 1, 1000);
    int limit = simulateOneWorker(vegas, 3_000);
    assertThat(limit).isGreaterThanOrEqualTo(2);
  }

  /** Serves {@code jobs} 2 ms jobs on one worker, always fully loaded; returns the final limit. */
  private int simulateOneWorker(AdaptiveLimit limit, int jobs) {
    AdmissionController c = AdmissionController.builder(limit)
        .shares(PriorityShares.none())
        .queueCapacity(0)
        .ticker(ticker)
        .build();
    long service = Duration.ofMillis(2).toNanos();
    Deque<Permit> workerQueue = new ArrayDeque<>();
    for (int done = 0; done < jobs; done++) {
      // Offered load is unbounded: fill every free permit.
      while (true) {
        Waiter w = waiter(Priority.LOGIN);
        if (c.offer(w) != AdmissionController.Offer.ADMITTED) {
          break;
        }
        workerQueue.addLast(w.permit());
      }
      ticker.advance(Duration.ofNanos(service));
      workerQueue.pollFirst().release(Outcome.SUCCESS);
    }
    return c.limit();
  }
}
