package dev.stampede.client.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.connect.ConnectOptions;
import dev.stampede.client.connect.Connection;
import dev.stampede.client.retry.AttemptFailure;
import dev.stampede.client.retry.RetryDecision;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.testing.FakeAuth;
import dev.stampede.client.testing.FakeDirectory;
import dev.stampede.client.testing.Fault;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrometerClientMetricsTest {

  @Test
  void attemptsRetriesRejectionsAndConnections_areCounted() {
    FakeClock clock = new FakeClock();
    FakeAuth auth = new FakeAuth(clock).account("alice", "correct horse");
    FakeDirectory directory = new FakeDirectory(clock, auth::tokenValid);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerClientMetrics metrics = new MicrometerClientMetrics();
    metrics.bindTo(registry);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", auth).serve("directory", directory)) {
      StampedeClient client = stampede.client(stampede.clientBuilder(1).eventListener(metrics));
      auth.resumeFault = Fault.first(2, () -> Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 1_500));

      client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket(auth.issueTicket("alice", "d"))
          .setDeviceId("d").build(), CallSettings.inherit());
      clock.forward(Duration.ofSeconds(5));
      client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket("t").setDeviceId("d").build(),
          CallSettings.inherit().withRetryPolicy(new Refusing()));
      Connection connection = Connection.create(client, ConnectOptions.builder("dev-1")
          .password("alice", "correct horse").listener(metrics).build());
      connection.connect();
      clock.runDueTasks();

      assertThat(registry.get("stampede.client.attempts").tags("service", "auth", "method", "Resume",
          "code", "RESOURCE_EXHAUSTED").counter().count()).isEqualTo(2.0);
      assertThat(registry.get("stampede.client.attempts").tags("method", "Resume", "code", "OK").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("stampede.client.retries").tags("reason", "pushback").counter().count())
          .isEqualTo(2.0);
      assertThat(registry.get("stampede.client.retry.wait").tags("reason", "pushback").summary().totalAmount())
          .isEqualTo(3.0);
      assertThat(registry.get("stampede.client.local.rejections").tags("reason", "throttled").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("stampede.client.calls").tags("method", "Login", "code", "OK").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("stampede.client.connections").tags("state", "online").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("stampede.client.attempt").tags("method", "Register").timer().count()).isEqualTo(1);

      connection.close();
      clock.runDueTasks();
      assertThat(registry.get("stampede.client.connections").tags("state", "online").gauge().value()).isZero();
    }
  }

  /** Rejects every attempt locally. */
  private static final class Refusing implements RetryPolicy {
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
  }
}
