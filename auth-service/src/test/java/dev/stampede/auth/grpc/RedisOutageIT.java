package dev.stampede.auth.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.localstack.RedisServer;
import dev.stampede.testing.InjectRedis;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AuthTestProfile.class)
class RedisOutageIT {
  @InjectRedis
  RedisServer redis;

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @Test
  void redisKilled_callsFailFastWithPushback_thenRecover_andDataSurvives() throws Exception {
    try (AuthClient client = new AuthClient()) {
      client.stub().createAccount(CreateAccountRequest.newBuilder().setUsername("ivan")
          .setPassword("password-1").build());
      SessionGrant grant = client.stub().login(LoginRequest.newBuilder().setUsername("ivan")
          .setPassword("password-1").setDeviceId("laptop").build()).getGrant();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(Http.get(ready).statusCode()).isEqualTo(200));
      Thread.sleep(1_200); // appendfsync everysec

      redis.kill();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        long start = System.nanoTime();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> client.stub()
            .resume(ResumeRequest.newBuilder().setResumeTicket(grant.getResumeTicket()).setDeviceId("laptop")
                .build()));
        assertThat(e).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(AuthClient.reason(e)).isEqualTo("DEPENDENCY_UNAVAILABLE");
        assertThat(AuthClient.retryDelayMillis(e)).isPositive();
        assertThat(AuthClient.pushback(e)).isEqualTo(Long.toString(AuthClient.retryDelayMillis(e)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
      });
      StatusRuntimeException login = catchThrowableOfType(StatusRuntimeException.class, () -> client.stub()
          .login(LoginRequest.newBuilder().setUsername("ivan").setPassword("password-1").setDeviceId("x").build()));
      assertThat(login.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(Http.get(ready).statusCode()).isEqualTo(503));

      redis.restart();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(Http.get(ready).statusCode()).isEqualTo(200));
      SessionGrant resumed = client.stub().resume(ResumeRequest.newBuilder()
          .setResumeTicket(grant.getResumeTicket()).setDeviceId("laptop").build()).getGrant();
      assertThat(resumed.getUserId()).isEqualTo(grant.getUserId());
      assertThat(client.stub().login(LoginRequest.newBuilder().setUsername("ivan").setPassword("password-1")
          .setDeviceId("laptop").build()).getGrant().getUserId()).isEqualTo(grant.getUserId());
    }
  }
}
