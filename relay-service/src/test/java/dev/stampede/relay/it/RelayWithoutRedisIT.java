package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.localstack.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without Redis the pod starts (no crash loop), reports not ready, and answers UNAVAILABLE with pushback. */
@QuarkusTest
@TestProfile(RelayWithoutRedisIT.NoRedis.class)
@WithTestResource(GrpcPortResource.class)
class RelayWithoutRedisIT {
  /** Points the app at a port where no Redis listens. */
  public static final class NoRedis implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("stampede.redis.uri", "redis://127.0.0.1:" + FreePorts.find(),
          "stampede.admission.dependency-retry-delay", "750ms");
    }
  }

  @TestHTTPResource("/q/health/ready")
  URI ready;

  @Test
  void startsNotReady_andAnswersUnavailableWithPushback() throws Exception {
    HttpResponse<String> readiness = QuarkusClients.get(ready);
    assertThat(readiness.statusCode()).isEqualTo(503);
    assertThat(readiness.body()).contains("\"redis\": false");

    ManagedChannel channel = QuarkusClients.channel();
    try {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> RelayServiceGrpc
          .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).allocate(AllocateRequest.newBuilder()
              .setSessionToken(QuarkusClients.token("alice")).setPeerUserId("bob").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Clients.errorInfo(e).getReason()).isEqualTo("DEPENDENCY_UNAVAILABLE");
      assertThat(Clients.retryDelayMillis(e)).isBetween(750L, 1_125L);
      assertThat(Clients.pushback(e)).isEqualTo(Long.toString(Clients.retryDelayMillis(e)));

      Leg leg = Leg.open(channel).join("some-allocation", QuarkusClients.token("alice"), "");
      assertThat(leg.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      channel.shutdownNow();
    }
  }
}
