package dev.stampede.auth.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.stampede.admission.Admission;
import dev.stampede.admission.Priority;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AuthTestProfile.class)
class OperationsIT {
  @Inject
  Admission admission;

  @Test
  void admission_holdsReturningClientsForSlotsUpTo8s_andNothingElse() {
    var queueTime = admission.config().queueTime();
    // Resumes (RESUME) that waited their queue time are held for a retry slot up to 4 s ahead (application.properties).
    assertThat(queueTime.holdMaxNanos(Priority.RESUME)).isEqualTo(Duration.ofSeconds(8).toNanos());
    assertThat(queueTime.holdMaxNanos(Priority.LOGIN)).isZero();
    assertThat(queueTime.holdMaxNanos(Priority.CRITICAL)).isZero();
    assertThat(queueTime.holdMaxNanos(Priority.SHEDDABLE)).isZero();
  }

  @Test
  void admission_letsALoginWaitUpTo4s_forClientsThatReturnInWaves() {
    var queueTime = admission.config().queueTime();
    // Not overloaded: 4 s for LOGIN (application.properties), the library's default for the other priorities.
    assertThat(queueTime.allowedNanos(Priority.LOGIN, false)).isEqualTo(Duration.ofSeconds(4).toNanos());
    assertThat(queueTime.allowedNanos(Priority.RESUME, false)).isLessThan(Duration.ofSeconds(1).toNanos());
  }

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @Test
  void readiness_isUp_whenGrpcServesAndRedisIsConnected() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var response = Http.get(ready);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"grpc\": \"serving\"").contains("\"redis\": \"connected\"");
    });
  }

  @Test
  void grpcHealth_andReflection_areServed() throws Exception {
    try (AuthClient client = new AuthClient()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> HealthGrpc.newBlockingStub(client.channel)
          .check(HealthCheckRequest.newBuilder().setService(AuthServiceGrpc.SERVICE_NAME).build())
          .getStatus() == ServingStatus.SERVING);

      CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(client.channel)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
              answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      requests.onCompleted();
      assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
          .anyMatch(s -> s.getName().equals(AuthServiceGrpc.SERVICE_NAME));
    }
  }

  @Test
  void metrics_countPasswordHashes_andResumeDoesNotHash() throws Exception {
    try (AuthClient client = new AuthClient()) {
      client.stub().createAccount(CreateAccountRequest.newBuilder().setUsername("judy").setPassword("password-1")
          .build());
      SessionGrant g = client.stub().login(LoginRequest.newBuilder().setUsername("judy").setPassword("password-1")
          .setDeviceId("d").build()).getGrant();
      double before = hashes();
      for (int i = 0; i < 5; i++) {
        g = client.stub().resume(ResumeRequest.newBuilder().setResumeTicket(g.getResumeTicket()).setDeviceId("d")
            .build()).getGrant();
      }
      assertThat(hashes()).isEqualTo(before);
      client.stub().login(LoginRequest.newBuilder().setUsername("judy").setPassword("password-1")
          .setDeviceId("d").build());
      assertThat(hashes()).isEqualTo(before + 1);
      assertThat(metrics()).contains("stampede_auth_outcomes_total{op=\"resume\",outcome=\"rotated\"");
    }
  }

  private String metrics() {
    var response = Http.get(metrics);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum of stampede_auth_password_hashes_total over its purposes. */
  private double hashes() {
    Matcher m = Pattern.compile("(?m)^stampede_auth_password_hashes_total\\{[^}]*} ([0-9.eE+-]+)$")
        .matcher(metrics());
    double sum = 0;
    int found = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found++;
    }
    assertThat(found).isEqualTo(dev.stampede.auth.domain.PasswordHasher.Purpose.values().length);
    return sum;
  }
}
