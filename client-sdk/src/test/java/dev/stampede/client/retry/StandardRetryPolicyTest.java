package dev.stampede.client.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.client.testing.Faults;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StandardRetryPolicyTest {

  private static AttemptFailure failure(StatusRuntimeException e, int attempt) {
    return AttemptFailure.of(e.getStatus(), e.getTrailers(), attempt, true);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_ARGUMENT"})
  void neverRetried_evenWithAPushback(Status.Code code) {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));

    RetryDecision d = policy.onFailure(failure(Faults.overloaded(code, 100), 1), 0);

    assertThat(d.kind()).isEqualTo(RetryDecision.Kind.NOT_RETRYABLE);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "INTERNAL",
      "FAILED_PRECONDITION", "ABORTED", "CANCELLED", "UNKNOWN"})
  void otherAnswers_areNotRetriedEither(Status.Code code) {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));

    assertThat(policy.onFailure(failure(Faults.plain(code), 1), 0).isRetry()).isFalse();
  }

  @Test
  void resourceExhaustedWithoutADelay_isASizeLimit_notRetried() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));

    assertThat(policy.onFailure(failure(Faults.plain(Status.Code.RESOURCE_EXHAUSTED), 1), 0).kind())
        .isEqualTo(RetryDecision.Kind.NOT_RETRYABLE);
  }

  @Test
  void overloadAnswer_isRetriedAfterExactlyTheServersDelay() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));

    RetryDecision d = policy.onFailure(failure(Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 1_337), 1), 0);

    assertThat(d.kind()).isEqualTo(RetryDecision.Kind.PUSHBACK);
    assertThat(d.delayNanos()).isEqualTo(1_337_000_000L);
  }

  @Test
  void plainUnavailable_isRetriedAfterAFullJitterBackoff() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));

    RetryDecision first = policy.onFailure(failure(Faults.plain(Status.Code.UNAVAILABLE), 1), 0);
    RetryDecision third = policy.onFailure(failure(Faults.plain(Status.Code.UNAVAILABLE), 3), 0);

    assertThat(first.kind()).isEqualTo(RetryDecision.Kind.BACKOFF);
    assertThat(first.delayNanos()).isBetween(0L, 500_000_000L);
    assertThat(third.delayNanos()).isBetween(0L, 2_000_000_000L);
  }

  @Test
  void pushbackThatSaysStop_stops() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));
    Metadata trailers = new Metadata();
    trailers.put(Pushback.PUSHBACK_MS, "-1");

    RetryDecision d = policy.onFailure(AttemptFailure.of(Status.UNAVAILABLE, trailers, 1, true), 0);

    assertThat(d.kind()).isEqualTo(RetryDecision.Kind.SERVER_SAID_STOP);
  }

  @Test
  void lastAttempt_isNotRetried() {
    StandardRetryPolicy policy = RetryOptions.builder().maxAttempts(3).build().newPolicy(new Random(1));

    assertThat(policy.onFailure(failure(Faults.plain(Status.Code.UNAVAILABLE), 2), 0).isRetry()).isTrue();
    assertThat(policy.onFailure(failure(Faults.plain(Status.Code.UNAVAILABLE), 3), 0).kind())
        .isEqualTo(RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
  }

  @Test
  void emptyBudget_stopsRetries_andSuccessesRefillIt() {
    StandardRetryPolicy policy = RetryOptions.builder().maxAttempts(100).budget(2, 0.5).withoutThrottle().build()
        .newPolicy(new Random(1));
    AttemptFailure unavailable = failure(Faults.plain(Status.Code.UNAVAILABLE), 1);

    assertThat(policy.onFailure(unavailable, 0).isRetry()).isTrue();
    assertThat(policy.onFailure(unavailable, 0).isRetry()).isTrue();
    assertThat(policy.onFailure(unavailable, 0).kind()).isEqualTo(RetryDecision.Kind.BUDGET_EXHAUSTED);

    policy.onSuccess(0);
    policy.onSuccess(0);
    assertThat(policy.onFailure(unavailable, 0).isRetry()).isTrue();
    assertThat(policy.onFailure(unavailable, 0).kind()).isEqualTo(RetryDecision.Kind.BUDGET_EXHAUSTED);
  }

  @Test
  void serverScheduledRetry_isNotVetoedByTheThrottle_butStillCounted() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));
    for (int i = 0; i < 50; i++) {
      policy.throttle().countRequest(0);
    }
    long before = policy.throttle().requests(0);

    for (int i = 0; i < 20; i++) {
      assertThat(policy.admit(2, true, 0)).isTrue();
    }
    assertThat(policy.throttle().requests(0)).isEqualTo(before + 20);
    int rejected = 0;
    for (int i = 0; i < 20; i++) {
      rejected += policy.admit(1, false, 0) ? 0 : 1;
    }
    assertThat(rejected).as("first attempts do face the throttle").isGreaterThan(10);
  }

  @Test
  void attemptThatNeverReachedAServer_isTakenOutOfTheThrottleCounts() {
    StandardRetryPolicy policy = RetryOptions.defaults().newPolicy(new Random(1));
    for (int i = 0; i < 30; i++) {
      policy.admit(1, false, 0);
      policy.onFailure(AttemptFailure.of(Status.DEADLINE_EXCEEDED, new Metadata(), 1, false), 0);
    }
    assertThat(policy.throttle().requests(0)).isZero();
    assertThat(policy.throttle().rejectionProbability(0)).isZero();
  }
}
