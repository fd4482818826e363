package dev.stampede.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.client.retry.AttemptFailure;
import dev.stampede.client.retry.RetryDecision;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.testing.EventLog;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.Fault;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnaryCallTest {
  private final FakeClock clock = new FakeClock();
  private final FakeAuth auth = new FakeAuth(clock).account("alice", "correct horse");
  private final InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth);
  private final EventLog events = new EventLog();

  @AfterEach
  void close() {
    stampede.close();
  }

  private StampedeClient client(RetryOptions options) {
    return stampede.client(stampede.clientBuilder(1).retryOptions(options).eventListener(events));
  }

  private ResumeRequest validResume() {
    return ResumeRequest.newBuilder().setResumeTicket(auth.issueTicket("alice", "dev-1")).setDeviceId("dev-1").build();
  }

  private static CallFailedException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CallFailedException.class);
      return (CallFailedException) e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void pushback_isObeyedToTheMillisecond() throws Exception {
    long[] delays = {137, 1_250, 3_001, 42};
    auth.resumeFault = n -> n <= delays.length
        ? Faults.overloaded(n % 2 == 0 ? Status.Code.UNAVAILABLE : Status.Code.RESOURCE_EXHAUSTED, delays[n - 1])
        : null;
    StampedeClient client = client(RetryOptions.builder().maxAttempts(10).build());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(1)));
    clock.forward(Duration.ofSeconds(30));

    assertThat(f).isCompleted();
    assertThat(f.get().getGrant().getSessionToken()).isNotEmpty();
    List<Long> arrivals = auth.resumes.arrivals();
    assertThat(arrivals).hasSize(delays.length + 1);
    for (int i = 0; i < delays.length; i++) {
      assertThat(arrivals.get(i + 1) - arrivals.get(i)).as("gap after answer %d", i + 1)
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(delays[i]));
    }
    assertThat(events.retries).allMatch(r -> r.pushback());
  }

  @Test
  void plainUnavailable_isRetriedWithinTheFullJitterCeilings() throws Exception {
    auth.resumeFault = Fault.first(3, () -> Faults.plain(Status.Code.UNAVAILABLE));
    // Backoff alone: the adaptive throttle would (rightly) veto some of these retries at random.
    StampedeClient client = client(RetryOptions.builder().withoutThrottle().build());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(1)));
    clock.forward(Duration.ofSeconds(30));

    assertThat(f.get().hasGrant()).isTrue();
    List<Long> a = auth.resumes.arrivals();
    assertThat(a).hasSize(4);
    assertThat(a.get(1) - a.get(0)).isBetween(0L, 500_000_000L);
    assertThat(a.get(2) - a.get(1)).isBetween(0L, 1_000_000_000L);
    assertThat(a.get(3) - a.get(2)).isBetween(0L, 2_000_000_000L);
    assertThat(events.retries).noneMatch(r -> r.pushback());
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_ARGUMENT"})
  void nonRetryableCodes_areNeverRetried_evenByAPolicyThatWouldRetryAnything(Status.Code code) {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(code, 10));
    RetryPolicy retryEverything = new RetryPolicy() {
      @Override
      public boolean admit(int attempt, boolean serverScheduled, long nowNanos) {
        return true;
      }

      @Override
      public void onSuccess(long nowNanos) {
      }

      @Override
      public RetryDecision onFailure(AttemptFailure failure, long nowNanos) {
        return RetryDecision.backoff(0);
      }
    };
    StampedeClient client = client(RetryOptions.defaults());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withRetryPolicy(retryEverything));
    clock.forward(Duration.ofSeconds(30));

    CallFailedException e = failure(f);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.stopReason()).isEqualTo(RetryDecision.Kind.NOT_RETRYABLE);
    assertThat(auth.resumes.count()).isEqualTo(1);
  }

  @Test
  void budgetExhaustion_stopsRetries_untilSuccessesRefillIt() {
    auth.resumeFault = Fault.always(() -> Faults.plain(Status.Code.UNAVAILABLE));
    StampedeClient client = client(RetryOptions.builder().maxAttempts(100).budget(3, 0.1).withoutThrottle().build());

    CompletableFuture<ResumeResponse> first = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(10)));
    clock.forward(Duration.ofMinutes(5));
    CompletableFuture<ResumeResponse> second = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(10)));
    clock.forward(Duration.ofMinutes(5));

    assertThat(failure(first).attempts()).as("1 + 3 budgeted retries").isEqualTo(4);
    assertThat(failure(first).stopReason()).isEqualTo(RetryDecision.Kind.BUDGET_EXHAUSTED);
    assertThat(failure(second).attempts()).as("no token left").isEqualTo(1);
    assertThat(auth.resumes.count()).isEqualTo(5);
    assertThat(events.rejections).hasSize(2)
        .allMatch(r -> r.reason() == dev.stampede.client.observe.LocalRejectionEvent.Reason.BUDGET_EXHAUSTED);

    auth.resumeFault = Fault.NONE;
    for (int i = 0; i < 10; i++) {
      client.auth().resumeAsync(validResume(), CallSettings.inherit());
    }
    clock.runDueTasks();
    auth.resumeFault = Fault.first(auth.resumes.count() + 1, () -> Faults.plain(Status.Code.UNAVAILABLE));
    CompletableFuture<ResumeResponse> third = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(10)));
    clock.forward(Duration.ofMinutes(5));
    assertThat(third).as("ten successes earned one retry, which succeeds").isCompleted()
        .isNotCompletedExceptionally();
  }

  @Test
  void pushbackBeyondTheDeadline_failsAtOnce_tellingWhenToComeBack() {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 20_000));
    StampedeClient client = client(RetryOptions.defaults());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofSeconds(5)));
    clock.runDueTasks();

    CallFailedException e = failure(f);
    assertThat(clock.nanoTime()).as("no waiting").isZero();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.rejectedLocally()).isFalse();
    assertThat(auth.resumes.count()).isEqualTo(1);
  }

  @Test
  void callTheServerScheduled_isNotVetoedByTheThrottle() {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100));
    // The book's throttle (no minimum volume), so that it rejects from the first refusals.
    StampedeClient client = client(RetryOptions.builder().maxAttempts(1).throttleMinSent(0).build());
    for (int i = 0; i < 20; i++) {
      client.auth().resumeAsync(validResume(), CallSettings.inherit());
      clock.runDueTasks();
    }
    int sentBefore = auth.resumes.count();
    assertThat(sentBefore).as("the throttle rejected some first attempts").isLessThan(20);

    for (int i = 0; i < 20; i++) {
      client.auth().resumeAsync(validResume(), CallSettings.inherit().withScheduledByServer(true));
      clock.runDueTasks();
    }

    assertThat(auth.resumes.count() - sentBefore).isEqualTo(20);
  }

  @Test
  void policyRejectingTheFirstAttempt_sendsNothing_andSaysSo() {
    StampedeClient client = client(RetryOptions.defaults());
    RetryPolicy closedShop = new RetryPolicy() {
      @Override
      public boolean admit(int attempt, boolean serverScheduled, long nowNanos) {
        return false;
      }

      @Override
      public void onSuccess(long nowNanos) {
      }

      @Override
      public RetryDecision onFailure(AttemptFailure failure, long nowNanos) {
        return RetryDecision.stop(RetryDecision.Kind.NOT_RETRYABLE);
      }
    };

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withRetryPolicy(closedShop));

    CallFailedException e = failure(f);
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.rejectedLocally()).isTrue();
    assertThat(e.attempts()).isZero();
    assertThat(auth.resumes.count()).isZero();
    assertThat(events.rejections).hasSize(1);
  }

  @Test
  void noRetryPolicy_makesExactlyOneAttempt() {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100));
    StampedeClient client = client(RetryOptions.defaults());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withRetryPolicy(RetryPolicy.noRetry()));
    clock.forward(Duration.ofSeconds(10));

    assertThat(failure(f).attempts()).isEqualTo(1);
    assertThat(auth.resumes.count()).isEqualTo(1);
  }

  @Test
  void attemptTimeout_boundsEachAttempt_theDeadlineTheWholeCall() {
    StampedeClient client = client(RetryOptions.defaults());
    stampede.stop("auth");

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(), CallSettings.inherit()
        .withDeadline(Duration.ofSeconds(60)).withAttemptTimeout(Duration.ofSeconds(5)));
    clock.forward(Duration.ofSeconds(5));

    CallFailedException e = failure(f);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.reachedServer()).as("it only waited for a connection").isFalse();
  }

  @Test
  void cancellingTheFuture_cancelsThePendingRetry() {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 2_000));
    StampedeClient client = client(RetryOptions.defaults());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(), CallSettings.inherit());
    clock.runDueTasks();
    f.cancel(false);
    clock.forward(Duration.ofSeconds(30));

    assertThat(auth.resumes.count()).isEqualTo(1);
    assertThat(events.calls).singleElement().satisfies(c -> assertThat(c.code()).isEqualTo(Status.Code.CANCELLED));
  }

  @Test
  void closingTheClient_endsCallsInProgressWithCancelled() {
    auth.resumeFault = Fault.always(() -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 2_000));
    StampedeClient client = client(RetryOptions.defaults());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(), CallSettings.inherit());
    clock.runDueTasks();
    client.close();
    clock.forward(Duration.ofSeconds(30));

    assertThat(failure(f).code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(auth.resumes.count()).isEqualTo(1);
    CompletableFuture<ResumeResponse> after = client.auth().resumeAsync(validResume(), CallSettings.inherit());
    assertThat(failure(after).code()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void retry_bringsBackTheBookingOfTheServersLastAnswer_andNothingElse() throws Exception {
    List<io.grpc.Metadata> seen = stampede.serveRecordingHeaders("auth", auth);
    auth.resumeFault = n -> switch (n) {
      case 1 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 200, "abc.0123456789abcdef");
      case 2 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 300, "abd.fedcba9876543210");
      case 3 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100);
      case 4 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100, "bad booking with spaces");
      default -> null;
    };
    StampedeClient client = client(RetryOptions.builder().maxAttempts(10).build());

    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofMinutes(1)));
    clock.forward(Duration.ofSeconds(5));

    assertThat(f.get().getGrant().getSessionToken()).isNotEmpty();
    assertThat(seen).extracting(h -> h.get(Faults.BOOKING))
        .containsExactly(null, "abc.0123456789abcdef", "abd.fedcba9876543210", null, null);
  }

  @Test
  void bookingOfAFailedCall_canBeSentWithTheNextCall() throws Exception {
    List<io.grpc.Metadata> seen = stampede.serveRecordingHeaders("auth", auth);
    auth.resumeFault = n -> switch (n) {
      case 1 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 20_000, "k2.0123456789abcdef");
      case 2 -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 100);
      default -> null;
    };
    StampedeClient client = client(RetryOptions.defaults());
    CompletableFuture<ResumeResponse> f = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withDeadline(Duration.ofSeconds(5)));
    clock.runDueTasks();
    CallFailedException e = failure(f);
    assertThat(e.retryBooking()).isEqualTo("k2.0123456789abcdef");

    clock.forward(e.retryAfter());
    CompletableFuture<ResumeResponse> again = client.auth().resumeAsync(validResume(),
        CallSettings.inherit().withScheduledByServer(true).withRetryBooking(e.retryBooking()));
    clock.runDueTasks();

    clock.forward(Duration.ofSeconds(1));
    assertThat(again.get().getGrant().getSessionToken()).isNotEmpty();
    assertThat(seen.get(1).get(Faults.BOOKING)).isEqualTo("k2.0123456789abcdef");
    assertThat(seen.get(2).get(Faults.BOOKING)).as("the retry after an answer without a booking").isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CallSettings.inherit().withRetryBooking("a b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("booking");
  }

  @Test
  void priorityAndServiceCredential_travelAsHeaders() {
    List<io.grpc.Metadata> seen = stampede.serveRecordingHeaders("auth", auth);
    StampedeClient client = client(RetryOptions.defaults());

    client.auth().resumeAsync(validResume(), CallSettings.inherit().withPriority(Priority.SHEDDABLE)
        .withServiceCredential("s3cret"));
    clock.runDueTasks();

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).get(CallSettings.PRIORITY_HEADER)).isEqualTo("sheddable");
    assertThat(seen.get(0).get(CallSettings.AUTHORIZATION_HEADER)).isEqualTo("Bearer s3cret");
    assertThat(CallSettings.inherit().withServiceCredential("s3cret").toString()).doesNotContain("s3cret");
  }
}
