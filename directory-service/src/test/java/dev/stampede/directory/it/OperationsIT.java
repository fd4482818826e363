package dev.stampede.directory.it;

import static org.assertj.core.api.Assertions.assertThat;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import dev.stampede.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import dev.stampede.admission.Admission;
import dev.stampede.admission.Priority;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Health, readiness, reflection and metrics, as an operator sees them. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(DirectoryTestResource.class)
class OperationsIT {
  @Inject
  Admission admission;

  @Test
  void admission_holdsReturningClientsForSlotsUpTo4s_andNothingElse() {
    var queueTime = admission.config().queueTime();
    // Registers (RESUME) that waited their queue time are held for a retry slot up to 4 s ahead (application.properties).
    assertThat(queueTime.holdMaxNanos(Priority.RESUME)).isEqualTo(Duration.ofSeconds(4).toNanos());
    assertThat(queueTime.holdMaxNanos(Priority.LOGIN)).isZero();
    assertThat(queueTime.holdMaxNanos(Priority.CRITICAL)).isZero();
    assertThat(queueTime.holdMaxNanos(Priority.SHEDDABLE)).isZero();
  }

  @Test
  void grpcHealth_servesTheDirectory() {
    ManagedChannel channel = Calls.channel(DirectoryTestResource.grpcPort);
    try {
      Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("stampede.directory.v1.DirectoryService").build())
          .getStatus() == ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void reflection_listsTheDirectoryService() throws Exception {
    ManagedChannel channel = Calls.channel(DirectoryTestResource.grpcPort);
    try {
      CompletableFuture<List<String>> services = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
              services.complete(value.getListServicesResponse().getServiceList().stream()
                  .map(ServiceResponse::getName).collect(Collectors.toList()));
            }

            @Override
            public void onError(Throwable t) {
              services.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      assertThat(services.get(10, TimeUnit.SECONDS)).contains("stampede.directory.v1.DirectoryService",
          "grpc.health.v1.Health");
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void readiness_reportsGrpcAndRedis() {
    Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/ready") == 200);
    String body = Calls.http(DirectoryTestResource.httpPort, "/q/health/ready").body();
    assertThat(body).contains("directory-grpc", "directory-redis");
    assertThat(Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/live")).isEqualTo(200);
  }

  @Test
  void admission_seesEachMethodAtItsPriority() {
    ManagedChannel channel = Calls.channel(DirectoryTestResource.grpcPort);
    try {
      var stub = Calls.stub(channel);
      String token = TestTokens.token("ops-alice", "phone");
      var lease = Calls.register(stub, token, dev.stampede.api.directory.v1.NatType.NAT_TYPE_OPEN);
      stub.heartbeat(dev.stampede.api.directory.v1.HeartbeatRequest.newBuilder().setSessionToken(token)
          .setLeaseId(lease.getLeaseId()).build());
      stub.lookup(dev.stampede.api.directory.v1.LookupRequest.newBuilder().setSessionToken(token)
          .setUserId("ops-alice").build());
    } finally {
      channel.shutdownNow();
    }
    String metrics = Calls.http(DirectoryTestResource.httpPort, "/q/metrics").body();
    assertThat(admitted(metrics, "Heartbeat", "critical")).isGreaterThanOrEqualTo(1);
    assertThat(admitted(metrics, "Register", "resume")).isGreaterThanOrEqualTo(1);
    assertThat(admitted(metrics, "Lookup", "sheddable")).isGreaterThanOrEqualTo(1);
  }

  private static double admitted(String metrics, String method, String priority) {
    return metrics.lines()
        .filter(l -> l.startsWith("stampede_admission_admitted_total{")
            && l.contains("method=\"stampede.directory.v1.DirectoryService/" + method + "\"")
            && l.contains("priority=\"" + priority + "\"") && l.contains("service=\"directory\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void metrics_exposeTheDirectorysGauges() {
    String metrics = Calls.http(DirectoryTestResource.httpPort, "/q/metrics").body();
    assertThat(metrics).contains("stampede_directory_watch_streams", "stampede_directory_watch_users",
        "stampede_directory_watch_pending_events", "stampede_directory_redis_connected",
        "stampede_directory_token_rejected_total");
  }
}
