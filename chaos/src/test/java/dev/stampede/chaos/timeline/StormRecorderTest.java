package dev.stampede.chaos.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StormRecorderTest {
  private static final long S = 1_000_000_000L;

  @Test
  void authAttempts_countWhatReachedAServer_notAttemptsNoServerAnswered() {
    StormRecorder recorder = new StormRecorder(3, 0);
    // While the pods are down: two resumes wait for a connection and time out unsent, one login is refused.
    recorder.attempt(Rpc.RESUME, 0);
    recorder.result(Rpc.RESUME, Outcome.UNREACHABLE, 0, 2 * S);
    recorder.attempt(Rpc.RESUME, S);
    recorder.result(Rpc.RESUME, Outcome.UNREACHABLE, S, 3 * S);
    recorder.attempt(Rpc.LOGIN, S);
    recorder.result(Rpc.LOGIN, Outcome.UNREACHABLE, S, S + 1);
    // Back: one resume refused with pushback, then two successes, one login timing out at the server.
    recorder.attempt(Rpc.RESUME, 4 * S);
    recorder.result(Rpc.RESUME, Outcome.REJECTED, 4 * S, 4 * S + 1);
    recorder.attempt(Rpc.RESUME, 5 * S);
    recorder.result(Rpc.RESUME, Outcome.SUCCESS, 5 * S, 5 * S + 1);
    recorder.attempt(Rpc.LOGIN, 5 * S);
    recorder.result(Rpc.LOGIN, Outcome.SUCCESS, 5 * S, 5 * S + 1);
    recorder.attempt(Rpc.LOGIN, 6 * S);
    recorder.result(Rpc.LOGIN, Outcome.TIMEOUT, 6 * S, 7 * S);

    assertThat(recorder.attempts(Rpc.RESUME, 0, 10 * S) + recorder.attempts(Rpc.LOGIN, 0, 10 * S)).isEqualTo(7);
    assertThat(recorder.authCounts().attempts(0, 10 * S)).isEqualTo(4);
    assertThat(recorder.authCounts().successes(0, 10 * S)).isEqualTo(2);
  }
}
