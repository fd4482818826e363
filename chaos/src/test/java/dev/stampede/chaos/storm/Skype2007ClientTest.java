package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.StormRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class Skype2007ClientTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** What the fake server does with the next call of a kind. */
  enum Behaviour { HANG, REJECT, OK, NOT_FOUND }

  private final FakeTimer timer = new FakeTimer();
  private final StormRecorder recorder = new StormRecorder(1, 0);
  private final FakeCalls calls = new FakeCalls();
  private final Skype2007Client client = new Skype2007Client(ClientIdentity.of("u", "secret-pw", 0),
      ClientProfile.Skype2007.DEFAULT, calls, timer, recorder);

  /** Answers after 10 ms as told, or never (the deadline then fires as DEADLINE_EXCEEDED). */
  final class FakeCalls implements RawCalls {
    Behaviour login = Behaviour.HANG;
    Behaviour register = Behaviour.OK;
    Behaviour heartbeat = Behaviour.OK;
    final List<Long> loginTimes = new ArrayList<>();
    final List<Long> heartbeatTimes = new ArrayList<>();
    final List<Duration> deadlines = new ArrayList<>();
    int reconnects;

    private <T> CompletableFuture<Reply<T>> answer(Behaviour b, T value, Duration deadline) {
      deadlines.add(deadline);
      CompletableFuture<Reply<T>> f = new CompletableFuture<>();
      switch (b) {
        case HANG -> timer.schedule(deadline.toNanos(),
            () -> f.complete(Reply.failed(Outcome.TIMEOUT, "DEADLINE_EXCEEDED", -1)));
        case REJECT -> timer.schedule(10 * MS,
            () -> f.complete(Reply.failed(Outcome.REJECTED, "RESOURCE_EXHAUSTED", 30_000)));
        case NOT_FOUND -> timer.schedule(10 * MS, () -> f.complete(Reply.failed(Outcome.ERROR, "NOT_FOUND", -1)));
        case OK -> timer.schedule(10 * MS, () -> f.complete(Reply.ok(value)));
      }
      return f;
    }

    @Override
    public CompletableFuture<Reply<Grant>> login(int c, String username, String password, String deviceId,
        Duration deadline) {
      loginTimes.add(timer.nanoTime());
      return answer(login, new Grant("u0", "token", "ticket"), deadline);
    }

    @Override
    public CompletableFuture<Reply<Lease>> register(int c, String token, Duration deadline) {
      return answer(register, new Lease("lease", Duration.ofSeconds(30)), deadline);
    }

    @Override
    public CompletableFuture<Reply<Void>> heartbeat(int c, String token, String leaseId, Duration deadline) {
      heartbeatTimes.add(timer.nanoTime());
      return answer(heartbeat, null, deadline);
    }

    @Override
    public void reconnect(int c) {
      reconnects++;
    }
  }

  private static List<Double> seconds(List<Long> nanos) {
    return nanos.stream().map(n -> n / 1e9).toList();
  }

  @Test
  void serverThatNeverAnswers_getsALogInEvery11s_andANewConnectionEveryFifthTry() {
    client.comeOnline();
    timer.advanceSeconds(120);

    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 11.0, 22.0, 33.0, 44.0, 55.0, 66.0, 77.0, 88.0,
        99.0, 110.0);
    assertThat(calls.deadlines).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(5)));
    assertThat(calls.reconnects).isEqualTo(3);
    assertThat(recorder.attempts(Rpc.LOGIN, 0, 200 * S)).isEqualTo(11.0);
    assertThat(recorder.outcomes(Rpc.LOGIN, Outcome.TIMEOUT, 0, 200 * S)).isEqualTo(11.0);
    assertThat(recorder.online().isOnline(0)).isFalse();
  }

  @Test
  void rejectionWithPushback_isRetriedAfterSixSecondsAnyway() {
    calls.login = Behaviour.REJECT;
    client.comeOnline();
    timer.advanceSeconds(20);

    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 6.01, 12.02, 18.03);
    assertThat(recorder.outcomes(Rpc.LOGIN, Outcome.REJECTED, 0, 20 * S)).isEqualTo(4.0);
  }

  @Test
  void success_registersPresence_isOnline_andHeartbeatsAtAThirdOfTheTtl() {
    calls.login = Behaviour.OK;
    CompletableFuture<Void> online = client.comeOnline();
    timer.advanceSeconds(1);

    assertThat(online).isDone();
    assertThat(recorder.online().isOnline(0)).isTrue();
    timer.advanceSeconds(30);
    // Online at 20 ms; TTL 30 s -> a heartbeat every 10 s (plus the 10 ms answer).
    assertThat(seconds(calls.heartbeatTimes)).containsExactly(10.02, 20.03, 30.04);
    assertThat(calls.loginTimes).hasSize(1);
  }

  @Test
  void failedRegistration_failsTheTry_andTheNextTryIsAFullLogInAgain() {
    calls.login = Behaviour.OK;
    calls.register = Behaviour.HANG;
    client.comeOnline();
    timer.advanceSeconds(12);

    // Log-in at 0 answered at 10 ms, Register timed out at 5.01 s, next log-in at 11.01 s.
    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 11.01);
    assertThat(recorder.online().isOnline(0)).isFalse();
  }

  @Test
  void heartbeatFailure_goesOfflineAndLogsInAgainAtOnce() {
    calls.login = Behaviour.OK;
    client.comeOnline();
    timer.advanceSeconds(1);
    calls.heartbeat = Behaviour.NOT_FOUND;
    timer.advanceSeconds(10.025);

    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 10.03);
    assertThat(calls.reconnects).isEqualTo(2);
  }

  @Test
  void reboot_isOfflineAtOnce_comesBackAfterBootTimeWithAFullLogIn_andIgnoresTheOldLife() {
    calls.login = Behaviour.OK;
    client.comeOnline();
    timer.advanceSeconds(1);
    recorder.online().scheduleReboot(0);
    recorder.online().trigger(timer.nanoTime());
    calls.login = Behaviour.HANG;

    client.reboot(Duration.ofSeconds(2));
    assertThat(recorder.online().isOnline(0)).isFalse();
    timer.advanceSeconds(1.5);
    assertThat(calls.loginTimes).hasSize(1);
    timer.advanceSeconds(1);
    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 3.0);

    // Rebooting again while that log-in hangs: its late timeout must not schedule anything.
    client.reboot(Duration.ZERO);
    timer.advanceSeconds(0.001);
    calls.login = Behaviour.OK;
    timer.advanceSeconds(10);
    assertThat(seconds(calls.loginTimes)).containsExactly(0.0, 3.0, 3.5);
    assertThat(recorder.online().isOnline(0)).isFalse();
    assertThat(recorder.online().recoveredOnline()).isZero();
  }

  @Test
  void stop_endsAllActivity() {
    client.comeOnline();
    timer.advanceSeconds(1);
    client.stop();
    timer.advanceSeconds(60);

    assertThat(calls.loginTimes).hasSize(1);
  }
}
