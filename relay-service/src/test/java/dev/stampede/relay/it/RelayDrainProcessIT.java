package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged app as two real processes ("pods") on one Redis: SIGTERM to the pod holding a live call moves both
 * peers to the other pod through Quarkus' shutdown path, before the gRPC server goes away. Runs after
 * {@code package} (surefire execution {@code process-it}).
 */
class RelayDrainProcessIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private final Clients clients = new Clients();
  private JavaApp a;
  private JavaApp b;

  private JavaApp pod(String name) {
    return JavaApp.builder(name)
        .jar(JAR)
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env("STAMPEDE_REDIS_URI", redis.uri())
        .env("STAMPEDE_TOKEN_KEYS_RELAY", relayKeys)
        .env("STAMPEDE_RELAY_DRAIN_GRACE", "10s")
        .env("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1")
        .env("QUARKUS_HTTP_HOST", "127.0.0.1")
        .jvmArgs("-Xmx256m")
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .build();
  }

  /** The pods verify with the same random key the test mints with. */
  private String relayKeys;

  @BeforeEach
  void start() {
    assertThat(JAR).as("the packaged app (run after package)").exists();
    relayKeys = clients.keySpec;
    a = pod("relay-a").start();
    b = pod("relay-b").start();
    a.awaitReady(Duration.ofSeconds(90));
    b.awaitReady(Duration.ofSeconds(90));
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    a.close();
    b.close();
  }

  private String address(JavaApp app) {
    return "127.0.0.1:" + app.port("grpc");
  }

  @Test
  void sigterm_movesALiveCallToTheOtherPod_beforeTheServerStops() throws Exception {
    ManagedChannel toA = clients.channel(address(a));
    AllocateResponse alloc = clients.allocate(toA, "alice", "bob");
    assertThat(alloc.getRelayAddress()).isEqualTo(address(a));
    String aliceToken = clients.token("alice");
    String bobToken = clients.token("bob");
    Leg aliceLeg = Leg.open(toA).join(alloc.getAllocationId(), aliceToken, "");
    aliceLeg.next();
    Leg bobLeg = Leg.open(toA).join(alloc.getAllocationId(), bobToken, alloc.getJoinToken());
    bobLeg.next();
    aliceLeg.next();
    MovingSide alice = new MovingSide("alice", aliceLeg, aliceToken, clients::channel);
    MovingSide bob = new MovingSide("bob", bobLeg, bobToken, clients::channel);

    int total = 400;
    CompletableFuture<Void> stopped = null;
    for (int seq = 0; seq < total; seq++) {
      alice.send(seq, 2048);
      bob.send(1_000_000 + seq, 256);
      if (seq == total / 4) {
        stopped = CompletableFuture.runAsync(() -> a.stop(Duration.ofSeconds(30)));
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> alice.drainings().size() == 1 && bob.drainings().size() == 1);
      }
      Thread.sleep(2);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> alice.received().size() >= total && bob.received().size() >= total);
    alice.stop();
    bob.stop();

    Draining moved = alice.drainings().get(0);
    assertThat(moved.getRelayAddress()).isEqualTo(address(b));
    assertThat(bob.drainings().get(0).getAllocationId()).isEqualTo(moved.getAllocationId());
    assertInOrder(bob.received(), 0, total);
    assertInOrder(alice.received(), 1_000_000, total);

    stopped.get(40, TimeUnit.SECONDS);
    assertThat(a.isRunning()).isFalse();
    String log = Files.readString(a.logFile());
    assertThat(log).contains("relay drained: DrainReport[moved=1, unmovable=0, streamsToldToMove=2,"
        + " streamsCutAtDeadline=0");
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + b.port("http") + "/q/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(RelayServiceIT.metric(metrics, "stampede_relay_active_streams")).isEqualTo(2.0);
  }

  private static void assertInOrder(List<Long> received, long first, int count) {
    assertThat(received).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(received.get(i)).as("frame %d", i).isEqualTo(first + i);
    }
  }
}
