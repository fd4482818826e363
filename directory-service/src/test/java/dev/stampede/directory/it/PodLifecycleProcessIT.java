package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.assertPushback;
import static dev.stampede.directory.it.Calls.failsWith;
import static dev.stampede.directory.it.Calls.reason;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.localstack.FreePorts;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The packaged directory's life as a pod: it never claims readiness while its gRPC port belongs to someone else
 * (and exits instead of lingering), it stays up without Redis and becomes ready when Redis appears, and SIGTERM
 * drains it: open watches end with UNAVAILABLE/DRAINING before the process exits.
 */
@EnabledIfSystemProperty(named = "directory.process-tests", matches = "true",
    disabledReason = "runs the packaged jar: only in the process-its execution, after package")
class PodLifecycleProcessIT {
  @Test
  void grpcPortTaken_neverReady_andExitsWithStatus1() throws Exception {
    try (RedisServer redis = RedisServer.builder().build().start();
        ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        JavaApp pod = JavaApp.builder("directory-squatted")
            .jar(DirectoryProcesses.jar())
            .jvmArgs("-Xmx192m", "-XX:+UseSerialGC")
            .port("http", "QUARKUS_HTTP_PORT")
            .port("grpc", "QUARKUS_GRPC_SERVER_PORT", squatter.getLocalPort())
            .env("STAMPEDE_REDIS_URI", redis.uri())
            .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", TestTokens.DIRECTORY_KEYS)
            .env("STAMPEDE_DIRECTORY_GRPC_START_TIMEOUT", "5s")
            .build()) {
      pod.start();
      Process exited = pod.exit().get(120, TimeUnit.SECONDS);
      assertThat(exited.exitValue()).isEqualTo(1);
      assertThat(Files.readString(pod.logFile())).contains("gRPC did not serve");
      assertThat(Files.readString(pod.logFile())).doesNotContain("directory-grpc\",\"status\":\"UP");
    }
  }

  @Test
  void withoutRedis_staysUpNotReady_answersUnavailable_thenBecomesReady() throws Exception {
    int redisPort = FreePorts.find();
    try (JavaApp pod = DirectoryProcesses.pod("directory-no-redis", "redis://127.0.0.1:" + redisPort, Map.of())) {
      pod.start();
      Awaitility.await().atMost(Duration.ofSeconds(90))
          .until(() -> pod.isRunning() && statusOrZero(pod.port("http")) == 503);
      ManagedChannel channel = Calls.channel(pod.port("grpc"));
      try {
        DirectoryServiceGrpc.DirectoryServiceBlockingStub stub = Calls.stub(channel);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptionsMatching(e -> e instanceof AssertionError)
            .until(() -> {
              StatusRuntimeException e = failsWith(Status.Code.UNAVAILABLE,
                  () -> register(stub, TestTokens.token("nr-alice", "p"), NatType.NAT_TYPE_OPEN));
              return "DEPENDENCY_UNAVAILABLE".equals(reason(e)) && assertPushback(e) > 0;
            });
        Thread.sleep(2000);
        assertThat(pod.isRunning()).isTrue();
        assertThat(statusOrZero(pod.port("http"))).isEqualTo(503);

        try (RedisServer redis = RedisServer.builder().port(redisPort).build().start()) {
          pod.awaitReady(Duration.ofSeconds(30));
          assertThat(register(stub, TestTokens.token("nr-alice", "p"), NatType.NAT_TYPE_OPEN).getLeaseId())
              .isNotEmpty();
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void sigterm_drains_openWatchesEndWithDraining() throws Exception {
    try (RedisServer redis = RedisServer.builder().build().start();
        JavaApp pod = DirectoryProcesses.pod("directory-drain", redis.uri(), Map.of())) {
      pod.start().awaitReady(Duration.ofSeconds(90));
      ManagedChannel channel = Calls.channel(pod.port("grpc"));
      try {
        CompletableFuture<Throwable> end = new CompletableFuture<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        DirectoryServiceGrpc.newStub(channel).watch(WatchRequest.newBuilder()
            .setSessionToken(TestTokens.token("dr-bob", "w")).addUserIds("dr-alice").build(), new StreamObserver<>() {
              @Override
              public void onNext(dev.stampede.api.directory.v1.WatchEvent value) {
                first.complete(null);
              }

              @Override
              public void onError(Throwable t) {
                end.complete(t);
              }

              @Override
              public void onCompleted() {
                end.complete(null);
              }
            });
        first.get(20, TimeUnit.SECONDS);

        pod.stop(Duration.ofSeconds(30));

        Throwable t = end.get(20, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException e = (StatusRuntimeException) t;
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(reason(e)).isEqualTo("DRAINING");
        assertPushback(e);
        assertThat(Files.readString(pod.logFile())).contains("drain: no calls in flight");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static int statusOrZero(int httpPort) {
    try {
      return Calls.httpStatus(httpPort, "/q/health/ready");
    } catch (IllegalStateException e) {
      return 0;
    }
  }

}
