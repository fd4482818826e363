package dev.stampede.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.testing.EventLog;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reconnect half of "two kinds of waiting": a call waiting for a restarted server leaves within the reconnect
 * cap (plus its jitter) of the server coming back, however long the outage was.
 */
class ReconnectTest {
  private static final long CAP_NANOS = ReconnectOptions.DEFAULT_CAP.toNanos();
  private static final long CAP_WITH_JITTER = (long) (CAP_NANOS * (1 + ReconnectOptions.DEFAULT_JITTER));

  @ParameterizedTest(name = "outage {0} ms, seed {1}")
  @CsvSource({
      "750, 1", "4300, 2", "12345, 3", "37800, 4", "61000, 5", "119999, 6", "300007, 7", "900000, 8"})
  void callWaitingOnARestartedServer_leavesWithinTheReconnectCap(long outageMillis, long seed) throws Exception {
    FakeClock clock = new FakeClock();
    FakeAuth auth = new FakeAuth(clock);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth)) {
      EventLog events = new EventLog();
      StampedeClient client = stampede.client(stampede.clientBuilder(seed).eventListener(events));
      String ticket = auth.issueTicket("alice", "dev-1");
      stampede.stop("auth");

      CompletableFuture<ResumeResponse> call = client.auth().resumeAsync(
          ResumeRequest.newBuilder().setResumeTicket(ticket).setDeviceId("dev-1").build(),
          CallSettings.inherit().withDeadline(Duration.ofHours(1)));
      clock.forward(Duration.ofMillis(outageMillis));
      assertThat(auth.resumes.count()).as("server down").isZero();
      long upAt = clock.nanoTime();
      stampede.start("auth");
      clock.forward(Duration.ofSeconds(5));

      assertThat(auth.resumes.count()).isEqualTo(1);
      long lag = auth.resumes.arrivals().get(0) - upAt;
      System.out.printf("reconnect: outage %d ms -> call arrived %.1f ms after the server came back (%d kicks)%n",
          outageMillis, lag / 1e6, events.kicks.size());
      assertThat(lag).isBetween(0L, CAP_WITH_JITTER);
      assertThat(call.get().hasGrant()).isTrue();
    }
  }

  @Test
  void withoutThePacer_grpcOwnBackoffLeavesCallsWaitingLongAfterTheServerIsBack() throws Exception {
    // The control: the same scenario with gRPC's connection backoff alone (1 s growing to 120 s).
    long maxLag = 0;
    StringBuilder lags = new StringBuilder();
    for (long outageSeconds : new long[] {61, 120, 300, 600, 900}) {
      FakeClock clock = new FakeClock();
      FakeAuth auth = new FakeAuth(clock);
      try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth)) {
        StampedeClient client = stampede.client(stampede.clientBuilder(1)
            .reconnect(ReconnectOptions.builder().disabled().build()));
        stampede.stop("auth");
        client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket("t").setDeviceId("d").build(),
            CallSettings.inherit().withDeadline(Duration.ofHours(1)));
        clock.forward(Duration.ofSeconds(outageSeconds));
        long upAt = clock.nanoTime();
        stampede.start("auth");
        clock.forward(Duration.ofMinutes(5));
        long lag = auth.resumes.arrivals().get(0) - upAt;
        lags.append(String.format(" %ds->%.1fs", outageSeconds, lag / 1e9));
        maxLag = Math.max(maxLag, lag);
      }
    }
    System.out.println("without pacer (grpc backoff only), outage->lag:" + lags);
    assertThat(maxLag).isGreaterThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void pacer_waitsGrowToTheCapAndStay() {
    FakeClock clock = new FakeClock();
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", new FakeAuth(clock))) {
      EventLog events = new EventLog();
      StampedeClient client = stampede.client(stampede.clientBuilder(9).eventListener(events));
      stampede.stop("auth");
      client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket("t").setDeviceId("d").build(),
          CallSettings.inherit().withDeadline(Duration.ofHours(1)));

      clock.forward(Duration.ofSeconds(60));

      assertThat(events.kicks).hasSizeGreaterThan(50);
      assertThat(events.kicks.get(0).waitedNanos()).isBetween(80_000_000L, 120_000_000L);
      assertThat(events.kicks).allSatisfy(k -> assertThat(k.waitedNanos()).isLessThanOrEqualTo(CAP_WITH_JITTER));
      assertThat(events.kicks.subList(10, events.kicks.size()))
          .allSatisfy(k -> assertThat(k.waitedNanos()).isGreaterThanOrEqualTo((long) (CAP_NANOS * 0.8)));
    }
  }

  @Test
  void pacer_isQuietWhileConnected() {
    FakeClock clock = new FakeClock();
    FakeAuth auth = new FakeAuth(clock);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth)) {
      EventLog events = new EventLog();
      StampedeClient client = stampede.client(stampede.clientBuilder(9).eventListener(events));
      client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket("t").setDeviceId("d").build(),
          CallSettings.inherit());

      clock.forwardTime(10, TimeUnit.MINUTES);

      assertThat(auth.resumes.count()).isEqualTo(1);
      assertThat(events.kicks).isEmpty();
    }
  }
}
