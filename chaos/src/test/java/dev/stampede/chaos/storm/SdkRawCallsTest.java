package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.timeline.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Single SDK attempts for the 2007 clients, classified for the timeline. */
class SdkRawCallsTest {
  private final FakeServices services = FakeServices.inProcess();
  private final StormChannels channels = new StormChannels(services.target(), services.target(), 4, 2, null,
      services.channels());
  private final SdkRawCalls calls = new SdkRawCalls(channels);

  @AfterEach
  void close() {
    channels.close();
    services.close();
  }

  private Reply<RawCalls.Grant> login(String password, Duration deadline) throws Exception {
    return calls.login(0, "user-0", password, "dev-0", deadline).get(10, TimeUnit.SECONDS);
  }

  @Test
  void login_register_heartbeat_succeed() throws Exception {
    Reply<RawCalls.Grant> grant = login(FakeServices.PASSWORD, Duration.ofSeconds(5));
    Reply<RawCalls.Lease> lease = calls.register(0, grant.value().sessionToken(), Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS);
    Reply<Void> beat = calls.heartbeat(0, grant.value().sessionToken(), lease.value().leaseId(),
        Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

    assertThat(grant.ok()).isTrue();
    assertThat(grant.value().sessionToken()).startsWith("tok-user-0");
    assertThat(lease.value().ttl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(beat.ok()).isTrue();
  }

  @Test
  void overload_isRejectedWithThePushback_andIsNotRetried() throws Exception {
    services.refuseLogins.set(1);
    services.pushbackMillis = 1234;

    Reply<RawCalls.Grant> r = login(FakeServices.PASSWORD, Duration.ofSeconds(5));

    assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(r.code()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(r.pushbackMillis()).isEqualTo(1234);
    assertThat(services.logins.get()).isEqualTo(1);
  }

  @Test
  void slowAnswer_timesOutAtTheDeadline() throws Exception {
    services.loginMillis = 1500;

    Reply<RawCalls.Grant> r = login(FakeServices.PASSWORD, Duration.ofMillis(300));

    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.code()).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void wrongPassword_isAnErrorNotAnOverload() throws Exception {
    Reply<RawCalls.Grant> r = login("wrong", Duration.ofSeconds(5));

    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void serverDown_failsAtOnceAsUnreachable_withoutWaitingForTheDeadline() throws Exception {
    services.stop();
    long start = System.nanoTime();

    Reply<RawCalls.Grant> r = login(FakeServices.PASSWORD, Duration.ofSeconds(5));

    assertThat(r.outcome()).isEqualTo(Outcome.UNREACHABLE);
    assertThat(r.code()).isEqualTo("UNAVAILABLE");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(4));
  }

  @Test
  void sharedConnections_openOnFirstUse() {
    assertThat(channels.shards()).isZero();

    channels.client(1);

    assertThat(channels.shards()).isEqualTo(1);
  }

  @Test
  void reconnect_movesTheClientToAnotherSharedConnection() {
    var before = channels.client(0);

    calls.reconnect(0);

    assertThat(channels.client(0)).isNotSameAs(before);
    assertThat(channels.client(1)).isSameAs(before);
    assertThat(channels.shards()).isEqualTo(2);
  }
}
