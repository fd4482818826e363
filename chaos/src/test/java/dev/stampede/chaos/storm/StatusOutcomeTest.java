package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.timeline.Outcome;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusOutcomeTest {
  @Test
  void overloadAnswersWithADelay_areRejections_withoutOne_theyAreNot() {
    assertThat(StatusOutcome.of(Status.Code.RESOURCE_EXHAUSTED, true, true)).isEqualTo(Outcome.REJECTED);
    assertThat(StatusOutcome.of(Status.Code.UNAVAILABLE, true, true)).isEqualTo(Outcome.REJECTED);
    // Without a delay RESOURCE_EXHAUSTED is a size limit, UNAVAILABLE a refused or reset connection.
    assertThat(StatusOutcome.of(Status.Code.RESOURCE_EXHAUSTED, false, true)).isEqualTo(Outcome.ERROR);
    assertThat(StatusOutcome.of(Status.Code.UNAVAILABLE, false, false)).isEqualTo(Outcome.UNREACHABLE);
  }

  @Test
  void aDeadline_isATimeoutOnlyWhenTheAttemptReachedAServer() {
    assertThat(StatusOutcome.of(Status.Code.DEADLINE_EXCEEDED, false, true)).isEqualTo(Outcome.TIMEOUT);
    assertThat(StatusOutcome.of(Status.Code.DEADLINE_EXCEEDED, false, false)).isEqualTo(Outcome.UNREACHABLE);
  }

  @Test
  void okIsSuccess_andEverythingElseIsAnError() {
    assertThat(StatusOutcome.of(Status.Code.OK, false, true)).isEqualTo(Outcome.SUCCESS);
    assertThat(StatusOutcome.of(Status.Code.UNAUTHENTICATED, false, true)).isEqualTo(Outcome.ERROR);
    assertThat(StatusOutcome.of(new IllegalStateException("x"))).isEqualTo(Outcome.ERROR);
  }
}
