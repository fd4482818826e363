package dev.stampede.client.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.client.credentials.ResumeCredentials;
import dev.stampede.client.retry.AttemptFailure;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.RetryDecision;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.FakeDirectory;
import dev.stampede.client.testing.Fault;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A simulated 2007 client is a {@link Connection} with other settings, not another SDK: this is how the storm
 * generator builds its {@code skype2007} profile.
 */
class LegacyProfileTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Fixed 6 s between tries, no jitter, pushback ignored, five tries per round. */
  static final class FixedRetry implements RetryPolicy {
    @Override
    public boolean admit(int attempt, boolean serverScheduled, long nowNanos) {
      return true;
    }

    @Override
    public void onSuccess(long nowNanos) {
    }

    @Override
    public RetryDecision onFailure(AttemptFailure failure, long nowNanos) {
      return failure.attempt() < 5 ? RetryDecision.backoff(6 * SECOND)
          : RetryDecision.stop(RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
    }
  }

  static ConnectOptions skype2007(String deviceId, CredentialStore store) {
    return ConnectOptions.builder(deviceId)
        .password("alice", "correct horse")
        .store(store)
        .resumeFirst(false)
        .honourServerDelays(false)
        .retryPolicyFactory(FixedRetry::new)
        .connectBackoff(Backoff.fixed(Duration.ofSeconds(6)))
        .authCall(CallSettings.inherit().withAttemptTimeout(Duration.ofSeconds(5)).withDeadline(Duration.ofMinutes(1))
            .withWaitForReady(false))
        .build();
  }

  @Test
  void legacyClient_retriesEverySixSeconds_ignoringPushback_whileTheSdkWaitsAsAsked() throws Exception {
    FakeClock clock = new FakeClock();
    FakeAuth auth = new FakeAuth(clock).account("alice", "correct horse");
    FakeDirectory directory = new FakeDirectory(clock, auth::tokenValid);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth).serve("directory", directory)) {
      StampedeClient client = stampede.client(stampede.clientBuilder(4));
      CredentialStore store = CredentialStore.inMemory();
      store.save(new ResumeCredentials("alice", "u-alice", "legacy", "s", auth.issueTicket("alice", "legacy"), null));
      auth.loginFault = Fault.first(14, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 30_000));

      Connection legacy = Connection.create(client, skype2007("legacy", store));
      legacy.connect();
      clock.forward(Duration.ofMinutes(2));

      List<Long> tries = auth.logins.arrivals();
      assertThat(tries).hasSize(15);
      for (int i = 1; i < tries.size(); i++) {
        assertThat(tries.get(i) - tries.get(i - 1)).as("try %d", i).isEqualTo(6 * SECOND);
      }
      assertThat(auth.resumes.count()).as("a full log-in on every return, even with a ticket").isZero();
      assertThat(legacy.state()).isEqualTo(ConnectionState.ONLINE);
    }
  }

  @Test
  void sdkClient_againstTheSameServer_comesBackOnlyWhenAsked() throws Exception {
    FakeClock clock = new FakeClock();
    FakeAuth auth = new FakeAuth(clock).account("alice", "correct horse");
    FakeDirectory directory = new FakeDirectory(clock, auth::tokenValid);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth).serve("directory", directory)) {
      StampedeClient client = stampede.client(stampede.clientBuilder(4));
      auth.loginFault = Fault.first(3, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 30_000));

      Connection sdk = Connection.create(client, ConnectOptions.builder("sdk").password("alice", "correct horse")
          .build());
      sdk.connect();
      clock.forward(Duration.ofMinutes(3));

      List<Long> tries = auth.logins.arrivals();
      assertThat(tries).hasSize(4);
      for (int i = 1; i < tries.size(); i++) {
        assertThat(tries.get(i) - tries.get(i - 1)).isGreaterThanOrEqualTo(30 * SECOND);
      }
      assertThat(sdk.state()).isEqualTo(ConnectionState.ONLINE);
    }
  }
}
