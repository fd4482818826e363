package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.StormRecorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code sdk} virtual client on the real SDK, against in-process fake services, on real time. */
class SdkClientTest {
  private final FakeServices services = FakeServices.inProcess();
  private final StormTimer.SystemTimer timer = new StormTimer.SystemTimer();
  private final StormRecorder recorder = new StormRecorder(1, System.nanoTime());
  private final StormChannels channels = new StormChannels(services.target(), services.target(), 1, 1,
      new RecordingInterceptor(recorder, System::nanoTime), services.channels());

  @AfterEach
  void close() {
    channels.close();
    timer.close();
    services.close();
  }

  private SdkClient client(int index, String password) {
    return new SdkClient(ClientIdentity.of("sdk-", password, index), id -> channels.client(id.index()), timer,
        recorder);
  }

  private double count(Rpc rpc, Outcome outcome) {
    return recorder.outcomes(rpc, outcome, recorder.originNanos(), System.nanoTime() + 1_000_000_000L);
  }

  private double attempts(Rpc rpc) {
    return recorder.attempts(rpc, recorder.originNanos(), System.nanoTime() + 1_000_000_000L);
  }

  @Test
  void comeOnline_logsInRegistersAndIsOnline_andEveryAttemptIsRecorded() throws Exception {
    SdkClient c = client(0, FakeServices.PASSWORD);

    c.comeOnline().get(10, TimeUnit.SECONDS);

    assertThat(recorder.online().isOnline(0)).isTrue();
    assertThat(services.logins.get()).isEqualTo(1);
    assertThat(services.resumes.get()).isZero();
    assertThat(attempts(Rpc.LOGIN)).isEqualTo(1);
    assertThat(count(Rpc.LOGIN, Outcome.SUCCESS)).isEqualTo(1);
    assertThat(count(Rpc.REGISTER, Outcome.SUCCESS)).isEqualTo(1);
    assertThat(c.describe()).contains("client 0", "ONLINE").doesNotContain(FakeServices.PASSWORD);
  }

  @Test
  void reboot_isOfflineAtOnce_thenResumesWithTheKeptTicket_neverLogsInAgain() throws Exception {
    SdkClient c = client(0, FakeServices.PASSWORD);
    c.comeOnline().get(10, TimeUnit.SECONDS);
    recorder.online().scheduleReboot(0);
    recorder.online().trigger(System.nanoTime());

    c.reboot(Duration.ofMillis(200));

    assertThat(recorder.online().isOnline(0)).isFalse();
    await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.online().recoveredOnline() == 1);
    assertThat(services.resumes.get()).isEqualTo(1);
    assertThat(services.logins.get()).isEqualTo(1);
    assertThat(count(Rpc.RESUME, Outcome.SUCCESS)).isEqualTo(1);
    assertThat(recorder.online().t99()).isPresent();
  }

  @Test
  void overloadWithPushback_isRecordedAsRejected_andTheClientStillComesOnline() throws Exception {
    services.refuseLogins.set(2);
    services.pushbackMillis = 100;
    SdkClient c = client(0, FakeServices.PASSWORD);

    c.comeOnline().get(20, TimeUnit.SECONDS);

    assertThat(count(Rpc.LOGIN, Outcome.REJECTED)).isEqualTo(2);
    assertThat(count(Rpc.LOGIN, Outcome.SUCCESS)).isEqualTo(1);
    assertThat(attempts(Rpc.LOGIN)).isEqualTo(3);
  }

  @Test
  void rebootWhileTheServicesAreDown_waitsForThem_andResumesOnceTheyAreBack() throws Exception {
    SdkClient c = client(0, FakeServices.PASSWORD);
    c.comeOnline().get(10, TimeUnit.SECONDS);
    recorder.online().scheduleReboot(0);
    recorder.online().trigger(System.nanoTime());
    services.stop();

    c.reboot(Duration.ZERO);
    Thread.sleep(1500);
    assertThat(recorder.online().recoveredOnline()).isZero();
    services.start();

    await().atMost(15, TimeUnit.SECONDS).until(() -> recorder.online().recoveredOnline() == 1);
    assertThat(services.logins.get()).isEqualTo(1);
    assertThat(services.resumes.get()).isEqualTo(1);
  }

  @Test
  void wrongPassword_stopsTheConnection_andFailsComeOnline_soARampCanMoveOn() {
    SdkClient c = client(0, "not the password");

    var online = c.comeOnline();

    await().atMost(10, TimeUnit.SECONDS).until(online::isDone);
    assertThat(online).isCompletedExceptionally();
    assertThat(c.stoppedBy()).isNotNull();
    assertThat(c.describe()).contains("stopped by").doesNotContain("not the password");
  }

  @Test
  void stop_abandonsTheConnection_andALaterRebootDoesNothing() throws Exception {
    SdkClient c = client(0, FakeServices.PASSWORD);
    c.comeOnline().get(10, TimeUnit.SECONDS);

    c.stop();
    c.reboot(Duration.ZERO);
    Thread.sleep(300);

    assertThat(services.resumes.get()).isZero();
    assertThat(c.describe()).contains("stopped");
  }
}
