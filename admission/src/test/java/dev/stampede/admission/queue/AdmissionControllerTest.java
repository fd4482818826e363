package dev.stampede.admission.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.FakeTicker;
import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.limit.AdaptiveLimit;
import dev.stampede.admission.limit.PriorityShares;
import dev.stampede.admission.limit.RecordingLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionControllerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> log = new ArrayList<>();
  private final RecordingLimit limit = new RecordingLimit(2);

  private AdmissionController controller(PriorityShares shares, int queueCapacity) {
    return AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(shares)
        .queueCapacity(queueCapacity)
        .ticker(ticker)
        .build();
  }

  private AdmissionController controller() {
    return controller(PriorityShares.none(), 10);
  }

  private RecordingWaiter waiter(String name, Priority p) {
    return new RecordingWaiter(name, p, log);
  }

  /**
   * Fills both slots with LOGIN calls, then keeps the queue non-empty for a whole interval (100 ms): 26 calls named
   * {@code prefix + i} arriving every 4 ms. Returns the first admitted call.
   */
  private RecordingWaiter overload(AdmissionController c, String prefix) {
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    for (int i = 0; i < 26; i++) {
      c.offer(waiter(prefix + i, Priority.LOGIN));
      ticker.advanceMillis(4);
    }
    return a;
  }

  @Test
  void offer_belowLimit_admitsAtOnceWithoutCallback() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);

    assertThat(c.offer(a)).isEqualTo(AdmissionController.Offer.ADMITTED);

    assertThat(a.permit()).isNotNull();
    assertThat(c.inflight()).isEqualTo(1);
    assertThat(log).isEmpty();
  }

  @Test
  void offer_atLimit_queuesUntilAPermitIsReleased() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    RecordingWaiter b = waiter("b", Priority.LOGIN);
    RecordingWaiter q = waiter("q", Priority.LOGIN);
    c.offer(a);
    c.offer(b);

    assertThat(c.offer(q)).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.queued()).isEqualTo(1);
    ticker.advanceMillis(3);
    a.permit().release(Outcome.SUCCESS);

    assertThat(log).containsExactly("q:admitted");
    assertThat(q.waitedNanos).isEqualTo(Duration.ofMillis(3).toNanos());
    assertThat(c.inflight()).isEqualTo(2);
    assertThat(c.queued()).isZero();
  }

  @Test
  void overload_neverAdmitsLoginWhileResumeWaits() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.SHEDDABLE);
    RecordingWaiter b = waiter("b", Priority.SHEDDABLE);
    c.offer(a);
    c.offer(b);
    c.offer(waiter("login1", Priority.LOGIN));
    c.offer(waiter("shed", Priority.SHEDDABLE));
    c.offer(waiter("resume", Priority.RESUME));
    c.offer(waiter("login2", Priority.LOGIN));

    a.permit().release(Outcome.SUCCESS);
    assertThat(log).containsExactly("resume:admitted");
    b.permit().release(Outcome.SUCCESS);
    assertThat(log).containsExactly("resume:admitted", "login1:admitted");
  }

  @Test
  void offer_newArrival_neverOvertakesAWaitingCallOfItsPriority() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    c.offer(waiter("first", Priority.LOGIN));
    // A permit frees up and the limit grows at the same time: the waiting call goes first, the newcomer waits.
    limit.limit = 3;
    RecordingWaiter late = waiter("late", Priority.LOGIN);

    assertThat(c.offer(late)).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).containsExactly("first:admitted");
  }

  @Test
  void reservedShare_keepsCriticalSlotsFreeFromLowerPriorities() {
    limit.limit = 10;
    AdmissionController c = controller(PriorityShares.of(0.2, 0, 0, 0), 10);
    for (int i = 0; i < 8; i++) {
      assertThat(c.offer(waiter("s" + i, Priority.SHEDDABLE))).isEqualTo(AdmissionController.Offer.ADMITTED);
    }

    assertThat(c.offer(waiter("s8", Priority.SHEDDABLE))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.offer(waiter("c0", Priority.CRITICAL))).isEqualTo(AdmissionController.Offer.ADMITTED);
    assertThat(c.offer(waiter("c1", Priority.CRITICAL))).isEqualTo(AdmissionController.Offer.ADMITTED);
    assertThat(c.inflight()).isEqualTo(10);
    assertThat(c.inflight(Priority.CRITICAL)).isEqualTo(2);
  }

  @Test
  void maxInflight_holdsItsClassAtTheCap_whileLessImportantCallsGoAheadOfIt() {
    limit.limit = 10;
    AdmissionController c = controller(PriorityShares.none().withMaxInflight(Priority.LOGIN, 2), 10);
    RecordingWaiter first = waiter("login0", Priority.LOGIN);
    assertThat(c.offer(first)).isEqualTo(AdmissionController.Offer.ADMITTED);
    assertThat(c.offer(waiter("login1", Priority.LOGIN))).isEqualTo(AdmissionController.Offer.ADMITTED);

    // At its cap with 8 slots of the limit free: the next log-in waits, a less important call does not.
    assertThat(c.offer(waiter("login2", Priority.LOGIN))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.offer(waiter("shed", Priority.SHEDDABLE))).isEqualTo(AdmissionController.Offer.ADMITTED);
    assertThat(c.offer(waiter("resume", Priority.RESUME))).isEqualTo(AdmissionController.Offer.ADMITTED);
    assertThat(c.inflight(Priority.LOGIN)).isEqualTo(2);
    assertThat(c.queued(Priority.LOGIN)).isEqualTo(1);

    // A log-in's permit frees the waiting one.
    first.permit().release(Outcome.SUCCESS);
    assertThat(log).containsExactly("login2:admitted");
    assertThat(c.inflight(Priority.LOGIN)).isEqualTo(2);
  }

  @Test
  void maxInflight_aCappedLaneDoesNotBlockTheLanesBelowIt() {
    limit.limit = 3;
    AdmissionController c = controller(PriorityShares.none().withMaxInflight(Priority.LOGIN, 1), 10);
    RecordingWaiter shed0 = waiter("shed0", Priority.SHEDDABLE);
    c.offer(waiter("login0", Priority.LOGIN));
    c.offer(shed0);
    c.offer(waiter("shed1", Priority.SHEDDABLE));
    c.offer(waiter("login1", Priority.LOGIN));
    assertThat(c.offer(waiter("shed2", Priority.SHEDDABLE))).isEqualTo(AdmissionController.Offer.QUEUED);

    // A freed slot goes to the waiting sheddable call: the log-in ahead of it is held by its cap, not by the limit.
    shed0.permit().release(Outcome.SUCCESS);
    assertThat(log).containsExactly("shed2:admitted");
  }

  @Test
  void priorityHeaderLowering_usesTheLowerClassesRules() {
    limit.limit = 10;
    AdmissionController c = controller(PriorityShares.of(0.2, 0, 0, 0), 10);
    for (int i = 0; i < 8; i++) {
      c.offer(waiter("c" + i, Priority.CRITICAL.lowerTo("sheddable")));
    }

    assertThat(c.offer(waiter("lowered", Priority.CRITICAL.lowerTo("sheddable"))))
        .isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.offer(waiter("raised?", Priority.SHEDDABLE.lowerTo("critical"))))
        .isEqualTo(AdmissionController.Offer.QUEUED);
  }

  @Test
  void fullQueue_evictsTheOldestCallOfTheLeastImportantLane() {
    AdmissionController c = controller(PriorityShares.none(), 2);
    c.offer(waiter("a", Priority.RESUME));
    c.offer(waiter("b", Priority.RESUME));
    c.offer(waiter("shed-old", Priority.SHEDDABLE));
    c.offer(waiter("shed-new", Priority.SHEDDABLE));

    assertThat(c.offer(waiter("resume", Priority.RESUME))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).containsExactly("shed-old:overloaded");
    assertThat(c.queued(Priority.SHEDDABLE)).isEqualTo(1);
  }

  @Test
  void fullQueue_refusesANewcomerWhenNothingLessImportantWaits() {
    AdmissionController c = controller(PriorityShares.none(), 1);
    c.offer(waiter("a", Priority.LOGIN));
    c.offer(waiter("b", Priority.LOGIN));
    c.offer(waiter("q", Priority.RESUME));
    RecordingWaiter late = waiter("late", Priority.LOGIN);

    assertThat(c.offer(late)).isEqualTo(AdmissionController.Offer.REJECTED);
    assertThat(late.rejection()).isEqualTo(RejectReason.OVERLOADED);
    assertThat(log).isEmpty();
  }

  @Test
  void zeroQueueCapacity_refusesInsteadOfQueueing() {
    AdmissionController c = controller(PriorityShares.none(), 0);
    c.offer(waiter("a", Priority.LOGIN));
    c.offer(waiter("b", Priority.LOGIN));
    RecordingWaiter w = waiter("c", Priority.CRITICAL);

    assertThat(c.offer(w)).isEqualTo(AdmissionController.Offer.REJECTED);
    assertThat(w.rejection()).isEqualTo(RejectReason.OVERLOADED);
  }

  @Test
  void queueTime_withoutOverload_allowsTheMaxQueueTime() {
    AdmissionController c = controller();
    c.offer(waiter("a", Priority.LOGIN));
    c.offer(waiter("b", Priority.LOGIN));
    c.offer(waiter("q", Priority.LOGIN));

    ticker.advanceMillis(99);
    c.sweep();
    assertThat(log).isEmpty();
    ticker.advanceMillis(2);
    c.sweep();
    assertThat(log).containsExactly("q:queue_timeout");
    assertThat(c.queued()).isZero();
  }

  @Test
  void queueTime_underOverload_dropsCallsOlderThanTheTarget() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    overload(c, "w");
    assertThat(c.isOverloaded()).isTrue();

    c.sweep();
    // Now only 5 ms of queue time is allowed: everything older than 5 ms was dropped, the newest one stays.
    assertThat(c.queued()).isEqualTo(1);
    assertThat(log).hasSize(25).allMatch(s -> s.endsWith(":queue_timeout"));
  }

  @Test
  void queueEmptiedByItsOwnTimeouts_staysOverloadedForAnInterval() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    RecordingWaiter a = overload(c, "w");
    c.sweep();
    ticker.advanceMillis(6);
    c.sweep();
    assertThat(c.queued()).as("the backlog was timed out").isZero();

    // A newcomer is held to the 5 ms target, not the 100 ms a server that keeps up allows.
    RecordingWaiter late = waiter("late", Priority.LOGIN);
    c.offer(late);
    assertThat(c.isOverloaded()).isTrue();
    ticker.advanceMillis(6);
    c.sweep();
    assertThat(log).last().isEqualTo("late:queue_timeout");

    // An interval without timeouts, the queue empty: the regime is normal again.
    ticker.advanceMillis(101);
    RecordingWaiter calm = waiter("calm", Priority.LOGIN);
    c.offer(calm);
    ticker.advanceMillis(50);
    c.sweep();
    assertThat(c.isOverloaded()).isFalse();
    assertThat(log).last().isEqualTo("late:queue_timeout");
    a.permit().release(Outcome.SUCCESS);
    assertThat(log).last().isEqualTo("calm:admitted");
  }

  @Test
  void queueTime_underOverload_letsSlowWorkWaitAboutOneServiceTime() {
    // A password hash holds its permit ~60 ms: with only the 5 ms target, a waiter would be gone long before the
    // next permit frees and the worker would idle. Such work may wait its own service time (capped at the max).
    AdmissionController c = controller(PriorityShares.none(), 100);
    RecordingWaiter a = overload(c, "fast");
    assertThat(c.isOverloaded()).isTrue();
    long hash = Duration.ofMillis(60).toNanos();
    RecordingWaiter slowOld = new RecordingWaiter("slow-old", Priority.LOGIN, Waiter.NO_DEADLINE, hash, log);
    c.offer(slowOld);
    ticker.advanceMillis(40);
    RecordingWaiter slowNew = new RecordingWaiter("slow-new", Priority.LOGIN, Waiter.NO_DEADLINE, hash, log);
    c.offer(slowNew);
    ticker.advanceMillis(10);
    c.sweep();

    // Work of unknown length was held to the 5 ms target; the hash that waited 50 ms is still queued.
    assertThat(log).hasSize(26).allMatch(s -> s.startsWith("fast") && s.endsWith(":queue_timeout"));
    assertThat(c.queued()).isEqualTo(2);
    ticker.advanceMillis(11);
    c.sweep();
    assertThat(log).last().isEqualTo("slow-old:queue_timeout");
    a.permit().release(Outcome.SUCCESS);
    assertThat(log).last().isEqualTo("slow-new:admitted");
  }

  @Test
  void queueTime_underOverload_workLongerThanTheIntervalWaitsItsPrioritysMaximum() {
    // A wave of log-ins (each ~0.5 s in flight) at a busy server: held to one service time, most of the wave was
    // refused at once and came back together; held to the maximum, the workers take it through the gap that follows.
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none()).queueCapacity(100).ticker(ticker)
        .queueTime(QueueTimePolicy.builder().maxQueueTime(Priority.LOGIN, Duration.ofSeconds(2)).build()).build();
    RecordingWaiter a = overload(c, "fast");
    assertThat(c.isOverloaded()).isTrue();
    long login = Duration.ofMillis(500).toNanos();
    RecordingWaiter waiting = new RecordingWaiter("login", Priority.LOGIN, Waiter.NO_DEADLINE, login, log);
    c.offer(waiting);
    ticker.advanceMillis(1_900);
    c.sweep();

    assertThat(log).noneMatch(s -> s.startsWith("login"));
    assertThat(c.isOverloaded()).isTrue();
    ticker.advanceMillis(101);
    c.sweep();
    assertThat(log).last().isEqualTo("login:queue_timeout");
    a.permit().release(Outcome.SUCCESS);
    assertThat(c.queued()).isZero();
  }

  @Test
  void queueTime_underOverload_followsTheWaitersOwnWaitBasis() {
    // A pool's task may wait as long as the workers need for a full queue (here 3 task times), not one task time.
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none()).queueCapacity(100).ticker(ticker)
        .queueTime(QueueTimePolicy.builder().maxQueueTime(Duration.ofSeconds(2)).build()).build();
    RecordingWaiter a = overload(c, "fast");
    assertThat(c.isOverloaded()).isTrue();
    long task = Duration.ofMillis(20).toNanos();
    RecordingWaiter pooled = new RecordingWaiter("pooled", Priority.LOGIN, Waiter.NO_DEADLINE, task, log);
    pooled.waitBasis = 3 * task;
    c.offer(pooled);
    ticker.advanceMillis(50);
    c.sweep();

    assertThat(log).noneMatch(s -> s.startsWith("pooled"));
    assertThat(c.queued()).isEqualTo(1);
    ticker.advanceMillis(11);
    c.sweep();
    assertThat(log).last().isEqualTo("pooled:queue_timeout");
    a.permit().release(Outcome.SUCCESS);
    assertThat(c.queued()).isZero();
  }

  @Test
  void queueTimePolicy_underOverload_allowsTheServiceTimeBetweenTargetAndMax() {
    QueueTimePolicy policy = QueueTimePolicy.builder().maxQueueTime(Priority.LOGIN, Duration.ofMillis(80)).build();
    long ms = Duration.ofMillis(1).toNanos();

    assertThat(policy.allowedNanos(Priority.LOGIN, true, 0)).isEqualTo(5 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, true, 2 * ms)).isEqualTo(5 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, true, 30 * ms)).isEqualTo(30 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, true, 90 * ms)).isEqualTo(80 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, false, 30 * ms)).isEqualTo(80 * ms);
  }

  @Test
  void queueTimePolicy_underOverload_workAsLongAsTheIntervalKeepsItsPrioritysMaximum() {
    QueueTimePolicy policy = QueueTimePolicy.builder().maxQueueTime(Priority.LOGIN, Duration.ofSeconds(2)).build();
    long ms = Duration.ofMillis(1).toNanos();

    assertThat(policy.allowedNanos(Priority.LOGIN, true, 99 * ms)).isEqualTo(99 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, true, 100 * ms)).isEqualTo(2_000 * ms);
    assertThat(policy.allowedNanos(Priority.LOGIN, true, 500 * ms)).isEqualTo(2_000 * ms);
    // Short work of other priorities keeps CoDel's target.
    assertThat(policy.allowedNanos(Priority.RESUME, true, ms)).isEqualTo(5 * ms);
  }

  private RecordingWaiter booked(String name, Priority p) {
    return new RecordingWaiter(name, p, Waiter.NO_DEADLINE, 0, true, log);
  }

  @Test
  void bookedCalls_areServedBeforeUnbookedOnesOfTheirPriority_inArrivalOrder() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    RecordingWaiter a = waiter("a", Priority.RESUME);
    RecordingWaiter b = waiter("b", Priority.RESUME);
    c.offer(a);
    c.offer(b);
    RecordingWaiter plain = waiter("plain", Priority.RESUME);
    RecordingWaiter booked1 = booked("booked1", Priority.RESUME);
    RecordingWaiter booked2 = booked("booked2", Priority.RESUME);
    RecordingWaiter critical = waiter("critical", Priority.CRITICAL);
    RecordingWaiter login = booked("login", Priority.LOGIN);
    for (RecordingWaiter w : List.of(plain, booked1, booked2, critical, login)) {
      assertThat(c.offer(w)).isEqualTo(AdmissionController.Offer.QUEUED);
    }

    a.permit().release(Outcome.SUCCESS);
    b.permit().release(Outcome.SUCCESS);
    critical.granted.release(Outcome.SUCCESS);
    booked1.granted.release(Outcome.SUCCESS);
    booked2.granted.release(Outcome.SUCCESS);

    // A booking never raises a call above its priority (CRITICAL first, LOGIN last), and within RESUME the booked
    // calls go first, in the order they came.
    assertThat(log).containsExactly("critical:admitted", "booked1:admitted", "booked2:admitted", "plain:admitted",
        "login:admitted");
  }

  @Test
  void bookedCall_arrivingWhileUnbookedOnesWait_isAdmittedAheadOfThem() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    RecordingWaiter a = waiter("a", Priority.RESUME);
    c.offer(a);
    c.offer(waiter("b", Priority.RESUME));
    c.offer(waiter("plain", Priority.RESUME));
    RecordingWaiter late = booked("late", Priority.RESUME);
    c.offer(late);

    a.permit().release(Outcome.SUCCESS);

    assertThat(log).containsExactly("late:admitted");
  }

  @Test
  void bookedCall_underOverload_waitsTheBookedMaxQueueTime_notTheTarget() {
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none()).queueCapacity(100).ticker(ticker)
        .queueTime(QueueTimePolicy.builder().bookedMaxQueueTime(Duration.ofMillis(500)).build()).build();
    RecordingWaiter a = overload(c, "w");
    assertThat(c.isOverloaded()).isTrue();
    RecordingWaiter kept = booked("kept", Priority.LOGIN);
    c.offer(kept);
    ticker.advanceMillis(400);
    c.sweep();

    // The unbooked ones were held to the 5 ms target; the booked one is still waiting after 400 ms.
    assertThat(log).noneMatch(s -> s.startsWith("kept"));
    assertThat(c.queued()).isEqualTo(1);
    ticker.advanceMillis(101);
    c.sweep();
    assertThat(log).last().isEqualTo("kept:queue_timeout");
    a.permit().release(Outcome.SUCCESS);
    assertThat(c.queued()).isZero();
  }

  @Test
  void fullQueue_bookedCallEvictsAnUnbookedOneOfItsPriority() {
    AdmissionController c = controller(PriorityShares.none(), 1);
    c.offer(waiter("a", Priority.RESUME));
    c.offer(waiter("b", Priority.RESUME));
    c.offer(waiter("plain", Priority.RESUME));

    assertThat(c.offer(booked("booked", Priority.RESUME))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).containsExactly("plain:overloaded");
    assertThat(c.offer(booked("second", Priority.RESUME))).isEqualTo(AdmissionController.Offer.REJECTED);
  }

  @ParameterizedTest(name = "after a measured second: {0}")
  @ValueSource(booleans = {false, true})
  void overload_servesTheNewestCallFirst(boolean measuredRate) {
    AdmissionController c = controller(PriorityShares.none(), 100);
    if (measuredRate) {
      // Then the waiting calls soon take every expected start: each newcomer takes the place of the oldest.
      history(c, Priority.LOGIN);
    }
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    for (int i = 0; i < 30; i++) {
      c.offer(waiter("w" + i, Priority.LOGIN));
      ticker.advance(Duration.ofNanos(3_400_000));
    }
    c.offer(waiter("newest", Priority.LOGIN));
    log.clear();

    a.permit().release(Outcome.SUCCESS);

    assertThat(log).last().isEqualTo("newest:admitted");
  }

  /**
   * A second of history: 50 calls of {@code p}, one after the other, each in flight for 20 ms. Measured: 50
   * completions per second; by Little's law the limit of 2 over a 20 ms latency makes 100 starts per second, the
   * higher estimate, so under overload one waiting call takes every start expected within the 5 ms target.
   */
  private void history(AdmissionController c, Priority p) {
    for (int i = 0; i < 50; i++) {
      RecordingWaiter w = waiter("h" + i, p);
      assertThat(c.offer(w)).isEqualTo(AdmissionController.Offer.ADMITTED);
      ticker.advanceMillis(20);
      w.permit().release(Outcome.SUCCESS);
    }
  }

  /**
   * Both permits taken by calls of {@code p}, then "w0" waits a whole interval: overload, with "x1" the one call of
   * {@code p} left waiting (after a second of {@link #history}, it takes every start expected within a newcomer's
   * 5 ms allowance). Returns what the controller makes of the next call of {@code p}, {@code x2}.
   */
  private AdmissionController.Offer offerWithOneWaitingUnderOverload(AdmissionController c, Priority p,
      RecordingWaiter x2) {
    c.offer(waiter("a", p));
    c.offer(waiter("b", p));
    // Not overloaded yet: a burst waits, however many starts it needs.
    assertThat(c.offer(waiter("w0", p))).isEqualTo(AdmissionController.Offer.QUEUED);
    ticker.advanceMillis(101);
    assertThat(c.offer(waiter("x1", p))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).containsExactly("w0:queue_timeout");
    assertThat(c.isOverloaded()).isTrue();
    ticker.advanceMillis(1);
    return c.offer(x2);
  }

  @Test
  void overload_whenTheWaitingCallsTakeEveryExpectedStart_aNewcomerTakesThePlaceOfTheOldest_newestFirst() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    history(c, Priority.LOGIN);

    RecordingWaiter x2 = waiter("x2", Priority.LOGIN);
    assertThat(offerWithOneWaitingUnderOverload(c, Priority.LOGIN, x2)).isEqualTo(AdmissionController.Offer.QUEUED);

    assertThat(log).last().isEqualTo("x1:overloaded");
    assertThat(c.queued()).isEqualTo(1);
    // Still queued beside it: calls back for their bookings, and a more important call (none of its class waits).
    assertThat(c.offer(booked("y1", Priority.LOGIN))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.offer(booked("y2", Priority.LOGIN))).as("behind y1").isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.offer(waiter("r", Priority.RESUME))).isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(c.queued()).isEqualTo(4);
    assertThat(log).hasSize(2);
  }

  @Test
  void overload_aRefusalAtArrivalKeepsTheRegimeOverloadedForAnInterval_likeATimeout() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    history(c, Priority.LOGIN);
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    c.offer(waiter("w0", Priority.LOGIN));
    ticker.advanceMillis(101);
    c.offer(waiter("x1", Priority.LOGIN)); // w0 times out now
    ticker.advanceMillis(1);
    c.offer(waiter("x2", Priority.LOGIN)); // x1 is refused now, 1 ms later
    a.permit().release(Outcome.SUCCESS);
    assertThat(log).containsExactly("w0:queue_timeout", "x1:overloaded", "x2:admitted");

    ticker.advanceMillis(99);

    assertThat(c.queued()).isZero();
    assertThat(c.isOverloaded()).as("an interval after the time-out, but not yet after the refusal").isTrue();
    ticker.advanceMillis(1);
    assertThat(c.isOverloaded()).isFalse();
  }

  @Test
  void overload_whenTheWaitingCallsTakeEveryExpectedStart_inArrivalOrder_refusesTheNewcomerAtOnce() {
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none()).queueCapacity(100).ticker(ticker)
        .queueTime(QueueTimePolicy.builder().lifoWhenOverloaded(false).build())
        .build();
    history(c, Priority.LOGIN);

    RecordingWaiter x2 = waiter("x2", Priority.LOGIN);
    assertThat(offerWithOneWaitingUnderOverload(c, Priority.LOGIN, x2))
        .isEqualTo(AdmissionController.Offer.REJECTED);

    assertThat(x2.rejection()).isEqualTo(RejectReason.OVERLOADED);
    assertThat(log).as("refused at once: no callback").hasSize(1);
    assertThat(c.queued()).isEqualTo(1);
  }

  @Test
  void overload_neverRefusesAtArrival_beforeAnythingCompleted() {
    AdmissionController c = controller(PriorityShares.none(), 100);

    assertThat(offerWithOneWaitingUnderOverload(c, Priority.LOGIN, waiter("x2", Priority.LOGIN)))
        .isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).hasSize(1);
    assertThat(c.queued()).isEqualTo(2);
  }

  @Test
  void overload_aPriorityThatMayBeHeld_isNotRefusedAtArrival() {
    AdmissionController c = holding(max -> -1);
    history(c, Priority.RESUME);

    assertThat(offerWithOneWaitingUnderOverload(c, Priority.RESUME, waiter("x2", Priority.RESUME)))
        .isEqualTo(AdmissionController.Offer.QUEUED);
    assertThat(log).hasSize(1);
    assertThat(c.queued()).isEqualTo(2);
  }
  @Test
  void perPriorityMaxQueueTime_appliesToThatPriorityOnly() {
    AdmissionController c = AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none())
        .queueTime(QueueTimePolicy.builder().maxQueueTime(Priority.LOGIN, Duration.ofMillis(20)).build())
        .ticker(ticker)
        .build();
    c.offer(waiter("a", Priority.CRITICAL));
    c.offer(waiter("b", Priority.CRITICAL));
    c.offer(waiter("login", Priority.LOGIN));
    c.offer(waiter("resume", Priority.RESUME));

    ticker.advanceMillis(21);
    c.sweep();

    assertThat(log).containsExactly("login:queue_timeout");
  }

  @Test
  void deadline_shorterThanServiceTimeOnArrival_isRefusedBeforeWork() {
    AdmissionController c = controller();
    long now = ticker.getAsLong();
    RecordingWaiter w = new RecordingWaiter("w", Priority.LOGIN, now + Duration.ofMillis(5).toNanos(),
        Duration.ofMillis(10).toNanos(), log);

    assertThat(c.offer(w)).isEqualTo(AdmissionController.Offer.REJECTED);
    assertThat(w.rejection()).isEqualTo(RejectReason.DEADLINE_TOO_SHORT);
    assertThat(c.inflight()).isZero();
  }

  @Test
  void deadline_tooShortWhenLeavingTheQueue_isRefusedInsteadOfStarted() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    long now = ticker.getAsLong();
    c.offer(new RecordingWaiter("tight", Priority.LOGIN, now + Duration.ofMillis(30).toNanos(),
        Duration.ofMillis(10).toNanos(), log));
    c.offer(waiter("next", Priority.LOGIN));

    ticker.advanceMillis(25);
    a.permit().release(Outcome.SUCCESS);

    assertThat(log).containsExactly("tight:deadline_too_short", "next:admitted");
  }

  @Test
  void cancel_withdrawsAQueuedCallWithoutCallback() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    RecordingWaiter q = waiter("q", Priority.LOGIN);
    c.offer(q);

    assertThat(c.cancel(q)).isTrue();
    a.permit().release(Outcome.SUCCESS);

    assertThat(log).isEmpty();
    assertThat(c.queued()).isZero();
    assertThat(c.cancel(q)).isFalse();
  }

  @Test
  void release_isIdempotent() {
    AdmissionController c = controller();
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);

    assertThat(a.permit().release(Outcome.SUCCESS)).isTrue();
    assertThat(a.permit().release(Outcome.SUCCESS)).isFalse();
    assertThat(c.inflight()).isZero();
    assertThat(limit.samples).hasSize(1);
  }

  @Test
  void rejectQueued_refusesEveryWaitingCallWithTheReason() {
    AdmissionController c = controller();
    c.offer(waiter("a", Priority.LOGIN));
    c.offer(waiter("b", Priority.LOGIN));
    c.offer(waiter("q1", Priority.LOGIN));
    c.offer(waiter("q2", Priority.CRITICAL));

    c.rejectQueued(RejectReason.DRAINING);

    assertThat(log).containsExactlyInAnyOrder("q1:draining", "q2:draining");
  }

  @Test
  void synchronousReleaseInsideACallback_doesNotRecurse() {
    AdmissionController c = controller(PriorityShares.none(), 100);
    RecordingWaiter a = waiter("a", Priority.LOGIN);
    c.offer(a);
    c.offer(waiter("b", Priority.LOGIN));
    int[] depth = {0, 0};
    for (int i = 0; i < 50; i++) {
      c.offer(new Waiter(Priority.LOGIN, Waiter.NO_DEADLINE, 0) {
        @Override
        protected void admitted(Permit permit, long queuedNanos) {
          depth[0]++;
          depth[1] = Math.max(depth[1], depth[0]);
          permit.release(Outcome.SUCCESS); // finishes at once, like a cached answer
          depth[0]--;
        }

        @Override
        protected void rejected(RejectReason reason, long queuedNanos) {
        }
      });
    }

    a.permit().release(Outcome.SUCCESS);

    assertThat(c.queued()).isZero();
    assertThat(depth[1]).isEqualTo(1);
  }

  /** The hold times the controller asked the calendar for, in order. */
  private final List<Long> asked = new ArrayList<>();
  /** "a" of {@link #holdingWithPermitsTaken}. */
  private RecordingWaiter firstPermitHolder;

  /**
   * A controller whose RESUME calls may be held for slots up to 2 s ahead; its calendar records what it is asked and
   * answers {@code slotInNanos} (-1 = no slot), with both permits taken by calls "a" and "b" of {@code priority}.
   */
  private AdmissionController holdingWithPermitsTaken(long slotInNanos, Priority priority) {
    AdmissionController c = holding(max -> {
      asked.add(max);
      return slotInNanos;
    });
    firstPermitHolder = waiter("a", priority);
    c.offer(firstPermitHolder);
    c.offer(waiter("b", priority));
    return c;
  }

  /** A controller whose RESUME calls may be held for slots up to 2 s ahead, booked through {@code book}. */
  private AdmissionController holding(AdmissionController.HoldBook book) {
    return AdmissionController.builder(AdaptiveLimit.wrap(limit, 1000))
        .shares(PriorityShares.none()).queueCapacity(100).ticker(ticker)
        .queueTime(QueueTimePolicy.builder().bookedMaxQueueTime(Duration.ofMillis(500))
            .holdMaxTime(Priority.RESUME, Duration.ofSeconds(2)).build())
        .hold(book)
        .build();
  }

  @Test
  void hold_aCallWhoseSlotIsNear_isKeptInTheBookedLane_andServedBeforeNewcomers() {
    AdmissionController c = holdingWithPermitsTaken(Duration.ofMillis(300).toNanos(), Priority.RESUME);
    RecordingWaiter x = waiter("x", Priority.RESUME);
    c.offer(x);

    ticker.advanceMillis(101);
    c.sweep();
    assertThat(log).containsExactly("x:held+300ms");
    assertThat(asked).containsExactly(Duration.ofSeconds(2).toNanos());
    assertThat(c.queued()).isEqualTo(1);

    c.offer(waiter("y", Priority.RESUME));
    ticker.advanceMillis(3); // within the 5 ms target (the timeout made it an overload)
    firstPermitHolder.permit().release(Outcome.SUCCESS);

    // Held like a booked call: ahead of the newcomer; its wait is reported from when it first queued.
    assertThat(log).containsExactly("x:held+300ms", "x:admitted");
    assertThat(x.waitedNanos).isEqualTo(Duration.ofMillis(104).toNanos());
  }

  @Test
  void hold_aHeldCallWaitsTheBookedMaxPlusTheTimeToItsSlot_thenIsRefused_andNeverHeldTwice() {
    AdmissionController c = holdingWithPermitsTaken(Duration.ofMillis(300).toNanos(), Priority.RESUME);
    c.offer(waiter("x", Priority.RESUME));
    ticker.advanceMillis(101);
    c.sweep();

    ticker.advanceMillis(800); // 300 ms to its slot + 500 ms booked wait
    c.sweep();
    assertThat(log).containsExactly("x:held+300ms");
    ticker.advanceMillis(1);
    c.sweep();
    assertThat(log).containsExactly("x:held+300ms", "x:queue_timeout");
    assertThat(asked).hasSize(1);
    assertThat(c.queued()).isZero();
  }

  @Test
  void hold_withoutASlotWithinTheHoldTime_refusesTheCall() {
    AdmissionController c = holdingWithPermitsTaken(-1, Priority.RESUME);
    c.offer(waiter("x", Priority.RESUME));
    ticker.advanceMillis(101);
    c.sweep();

    assertThat(log).containsExactly("x:queue_timeout");
    assertThat(asked).hasSize(1);
    assertThat(c.queued()).isZero();
  }

  @Test
  void hold_asksOnlyForSlotsTheDeadlineLeavesTimeFor_andNothingWhenItLeavesNone() {
    AdmissionController c = holdingWithPermitsTaken(0, Priority.RESUME);
    long now = ticker.getAsLong();
    long expected = Duration.ofMillis(20).toNanos();
    c.offer(new RecordingWaiter("soon", Priority.RESUME, now + Duration.ofMillis(1000).toNanos(), expected, log));
    c.offer(new RecordingWaiter("now", Priority.RESUME, now + Duration.ofMillis(620).toNanos(), expected, log));
    ticker.advanceMillis(101);
    c.sweep();

    // "soon" has 899 ms left: 379 ms for its slot after the 500 ms booked wait and its 20 ms of work; "now" has
    // 519 ms left, less than the booked wait and the work: refused, nothing asked.
    assertThat(asked).containsExactly(Duration.ofMillis(379).toNanos());
    assertThat(log).containsExactlyInAnyOrder("soon:held+0ms", "now:queue_timeout");
  }

  @Test
  void hold_onlyForPrioritiesWithAHoldTime() {
    AdmissionController c = holdingWithPermitsTaken(0, Priority.LOGIN);
    c.offer(waiter("login", Priority.LOGIN));
    ticker.advanceMillis(101);
    c.sweep();

    assertThat(log).containsExactly("login:queue_timeout");
    assertThat(asked).isEmpty();
  }

  @Test
  void hold_aBookedCallThatTimesOutIsRefused_notHeld() {
    AdmissionController c = holdingWithPermitsTaken(0, Priority.RESUME);
    c.offer(booked("booked", Priority.RESUME));
    ticker.advanceMillis(501);
    c.sweep();

    assertThat(log).containsExactly("booked:queue_timeout");
    assertThat(asked).isEmpty();
  }
}
