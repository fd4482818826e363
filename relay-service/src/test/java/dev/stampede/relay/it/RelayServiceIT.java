package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.testing.RedisTestResource;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay as a Quarkus app: its separate gRPC server, health, readiness and metrics. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(GrpcPortResource.class)
class RelayServiceIT {
  @TestHTTPResource("/q/health/ready")
  URI ready;
  @TestHTTPResource("/q/metrics")
  URI metrics;

  private ManagedChannel channel;

  @BeforeEach
  void open() {
    channel = QuarkusClients.channel();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private AllocateResponse allocate(String user, String peer) {
    return RelayServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).allocate(
        AllocateRequest.newBuilder().setSessionToken(QuarkusClients.token(user)).setPeerUserId(peer).build());
  }

  @Test
  void readyAndServing_withHealthAndReflection() throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusClients.get(ready).statusCode() == 200);
    String body = QuarkusClients.get(ready).body();
    assertThat(body).contains("\"grpc\": true").contains("\"redis\": true").contains("\"draining\": false");
    ServingStatus status = HealthGrpc.newBlockingStub(channel).check(
        HealthCheckRequest.newBuilder().setService(RelayServiceGrpc.SERVICE_NAME).build()).getStatus();
    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void framesFlowThroughTheQuarkusServer_bothWays_inOrder() throws Exception {
    AllocateResponse a = allocate("alice", "bob");
    assertThat(a.getRelayAddress()).isEqualTo("127.0.0.1:" + QuarkusClients.grpcPort());
    Leg alice = Leg.open(channel).join(a.getAllocationId(), QuarkusClients.token("alice"), "");
    assertThat(alice.next().hasJoined()).isTrue();
    Leg bob = Leg.open(channel).join(a.getAllocationId(), QuarkusClients.token("bob"), a.getJoinToken());
    assertThat(bob.next().getJoined().getPeerPresent()).isTrue();
    alice.next();
    for (int i = 0; i < 200; i++) {
      alice.sendSeq(i, i % 2 == 0 ? 32 * 1024 : 100);
      bob.sendSeq(500 + i, 1000);
    }
    for (int i = 0; i < 200; i++) {
      assertThat(Leg.seqOf(bob.next())).isEqualTo(i);
      assertThat(Leg.seqOf(alice.next())).isEqualTo(500 + i);
    }
    String scraped = QuarkusClients.get(metrics).body();
    assertThat(metric(scraped, "stampede_relay_frames_forwarded_total")).isGreaterThanOrEqualTo(400);
    assertThat(metric(scraped, "stampede_relay_active_streams")).isGreaterThanOrEqualTo(2);
    alice.cancel();
    assertThat(bob.awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
  }

  @Test
  void stalledReceiver_stopsTheSender_andTheBufferMetricStaysWithinOneMebibyte() throws Exception {
    AllocateResponse a = allocate("carol", "dave");
    Leg carol = Leg.open(channel).join(a.getAllocationId(), QuarkusClients.token("carol"), "");
    carol.next();
    ManagedChannel slow = io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", QuarkusClients.grpcPort())
        .usePlaintext().flowControlWindow(64 * 1024).build();
    try {
      Leg dave = Leg.open(slow, false).join(a.getAllocationId(), QuarkusClients.token("dave"), a.getJoinToken());
      dave.next();
      carol.next();
      long sent = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        if (carol.isReady()) {
          carol.sendSeq(sent, 32 * 1024);
          sent++;
          continue;
        }
        Thread.sleep(300);
        if (!carol.isReady()) {
          break;
        }
      }
      assertThat(carol.isReady()).isFalse();
      String scraped = QuarkusClients.get(metrics).body();
      double largest = metric(scraped, "stampede_relay_stream_buffered_max_bytes");
      assertThat(largest).isPositive().isLessThanOrEqualTo(RelaySettings.DEFAULT_STREAM_BUFFER);
      assertThat(metric(scraped, "stampede_relay_buffered_bytes")).isLessThanOrEqualTo(RelaySettings.MAX_STREAM_MEMORY);
      // The published bound is what the pod's settings allow, all layers, and within the 1 MiB contract.
      double bound = metric(scraped, "stampede_relay_stream_memory_bound_bytes");
      assertThat(bound).isEqualTo((double) RelaySettings.defaults().streamMemoryBound())
          .isLessThanOrEqualTo(RelaySettings.MAX_STREAM_MEMORY).isGreaterThan(largest);
      dave.readAll();
      for (long i = 0; i < sent; i++) {
        var r = dave.next();
        while (!r.hasFrame()) {
          r = dave.next();
        }
        assertThat(Leg.seqOf(r)).isEqualTo(i);
      }
    } finally {
      slow.shutdownNow();
    }
  }

  @Test
  void garbage_isInvalidArgument_evenThroughQuarkus() throws Exception {
    Status status = RawCalls.stream(channel, RelayServiceGrpc.getConnectMethod(), new byte[] {(byte) 0xff, 0x01});
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> RelayServiceGrpc
        .newBlockingStub(channel).allocate(AllocateRequest.newBuilder().setSessionToken("x").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  /** The value of a Prometheus sample without labels, or the first one with labels. */
  static double metric(String scraped, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scraped);
    if (!m.find()) {
      throw new AssertionError("no metric " + name + " in\n" + scraped);
    }
    return Double.parseDouble(m.group(2));
  }
}
