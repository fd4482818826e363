package dev.stampede.bench.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.admission.Admission;
import dev.stampede.admission.redis.RedisScript;
import dev.stampede.bench.anchor.v1.AnchorGrpc;
import dev.stampede.bench.anchor.v1.TouchRequest;
import dev.stampede.bench.anchor.v1.TouchResponse;
import dev.stampede.localstack.RedisServer;
import dev.stampede.testing.InjectRedis;
import dev.stampede.testing.RedisTestResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admission library wired into a real Quarkus app (separate gRPC server) with nothing but the dependency and
 * configuration: the global interceptor, the overload answer, the exception mapping, the metrics on /q/metrics,
 * and the shared Redis connection surviving a Redis restart.
 */
@QuarkusTest
@TestProfile(AnchorAdmissionIT.AdmissionOn.class)
@WithTestResource(RedisTestResource.class)
class AnchorAdmissionIT {
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Admission on, one call at a time, one queue place: the second concurrent call waits, the third is refused. */
  public static class AdmissionOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry("stampede.admission.enabled", "true"),
          Map.entry("stampede.admission.limit.algorithm", "fixed"),
          Map.entry("stampede.admission.limit.initial", "1"),
          Map.entry("stampede.admission.queue.capacity", "1"),
          Map.entry("stampede.admission.queue.max-time", "5s"),
          Map.entry("stampede.admission.queue.interval", "10s"),
          Map.entry("stampede.admission.critical.reserved-share", "0"),
          Map.entry("stampede.admission.resume.reserved-share", "0"),
          Map.entry("stampede.admission.methods.\"stampede.bench.v1.Anchor/Touch\"", "resume"),
          // Long enough for the paused Redis below: a command never times out during a test.
          Map.entry("stampede.redis.command-timeout", "10s"),
          Map.entry("quarkus.grpc.server.test-port", Integer.toString(freePort())));
    }
  }

  @InjectRedis
  RedisServer redis;

  @Inject
  Admission admission;

  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int grpcPort;

  @ConfigProperty(name = "quarkus.http.test-port")
  int httpPort;

  private ManagedChannel channel;
  private AnchorGrpc.AnchorBlockingStub stub;

  @BeforeEach
  void connect() {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    stub = AnchorGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private TouchResponse touch(String key) {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS).touch(TouchRequest.newBuilder().setKey(key).build());
  }

  @Test
  void touch_answersAfterOneEvalsha() {
    redis.command("SET", "stampede:anchor:k1", "v1");

    assertThat(touch("k1").getValue()).isEqualTo("v1");
    String sha = RedisScript.fromResource(AnchorService.class, "lua/anchor.lua").sha1();
    assertThat(redis.command("SCRIPT", "EXISTS", sha)).contains("1");
  }

  @Test
  void overload_queuesOneCallAndRefusesTheNextWithTheOverloadAnswer() throws Exception {
    touch("warm");
    // Freeze Redis: the first call holds the only permit while its EVALSHA waits.
    // Below the 10 s command timeout, and long enough for the set-up below on a slow machine.
    redis.command("CLIENT", "PAUSE", "4000");
    var first = AnchorGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .touch(TouchRequest.newBuilder().setKey("held").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().inflight() == 1);
    var queued = AnchorGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .touch(TouchRequest.newBuilder().setKey("queued").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.calls().queued() == 1);

    StatusRuntimeException e = catchStatus(() -> touch("refused"));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    long pushback = Long.parseLong(e.getTrailers().get(PUSHBACK));
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details.getDetailsList()).anySatisfy(any -> assertRetryInfo(any, pushback));
    assertThat(details.getDetailsList()).anySatisfy(any -> {
      assertThat(any.is(ErrorInfo.class)).isTrue();
      ErrorInfo info = any.unpack(ErrorInfo.class);
      assertThat(info.getReason()).isEqualTo("OVERLOADED");
      assertThat(info.getMetadataMap()).containsEntry("service", "anchor");
    });
    assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
    // The queued call is started later, from whichever thread freed the permit, on its own Vert.x context.
    assertThat(queued.get(10, TimeUnit.SECONDS)).isNotNull();

    String metrics = get("/q/metrics").body();
    assertThat(metrics).contains(
        "stampede_admission_rejected_total{method=\"stampede.bench.v1.Anchor/Touch\",priority=\"resume\","
            + "reason=\"overloaded\",service=\"anchor\"}",
        "stampede_admission_limit{service=\"anchor\"} 1",
        "stampede_admission_inflight{service=\"anchor\"}",
        "stampede_admission_queue_length{service=\"anchor\"}",
        "stampede_admission_queue_seconds_count{method=\"stampede.bench.v1.Anchor/Touch\"",
        "stampede_admission_admitted_total{method=\"stampede.bench.v1.Anchor/Touch\"");
  }

  @Test
  void badInput_isInvalidArgumentNamingTheField() {
    StatusRuntimeException e = catchStatus(() -> touch("x".repeat(65)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("key: 65 bytes");
  }

  @Test
  void redisDown_answersUnavailableWithPushback_isNotReady_andRecoversWithoutRestart() throws Exception {
    touch("before");
    redis.kill();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> get("/q/health/ready").statusCode() == 503);

      StatusRuntimeException e = catchStatus(() -> touch("during"));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Long.parseLong(e.getTrailers().get(PUSHBACK))).isGreaterThanOrEqualTo(1000);
      assertThat(e.getStatus().getDescription()).doesNotContain("Redis", "redis", "Exception");
    } finally {
      redis.restart();
    }
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> touch("after") != null);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/q/health/ready").statusCode() == 200);
  }

  private static void assertRetryInfo(Any any, long pushback) throws Exception {
    assertThat(any.is(RetryInfo.class)).isTrue();
    RetryInfo retry = any.unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000)
        .isEqualTo(pushback);
  }

  private static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
