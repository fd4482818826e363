package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.endpoint;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DevicePresence;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.testing.RedisTestResource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watch on one instance: snapshot, changes, cancellation, refusals. (Across pods: TwoPodsProcessIT.) */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(DirectoryTestResource.class)
class WatchIT {
  private ManagedChannel channel;
  private DirectoryServiceGrpc.DirectoryServiceBlockingStub stub;
  private DirectoryServiceGrpc.DirectoryServiceStub async;

  @BeforeEach
  void connect() {
    channel = Calls.channel(DirectoryTestResource.grpcPort);
    stub = Calls.stub(channel);
    async = DirectoryServiceGrpc.newStub(channel);
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  private WatchRecorder watch(String asUser, String... users) {
    WatchRecorder recorder = new WatchRecorder();
    async.watch(WatchRequest.newBuilder().setSessionToken(TestTokens.token(asUser, "watcher"))
        .addAllUserIds(java.util.List.of(users)).build(), recorder);
    return recorder;
  }

  @Test
  void watch_opensWithOneSnapshotPerUser_thenStreamsEachChange() {
    String laptop = TestTokens.token("w-alice", "laptop");
    register(stub, laptop, NatType.NAT_TYPE_OPEN, endpoint("192.0.2.1", 1));
    WatchRecorder w = watch("w-bob", "w-alice", "w-nobody");

    Map<String, WatchEvent> initial = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      WatchEvent e = w.next(10);
      assertThat(e.getInitial()).isTrue();
      initial.put(e.getPresence().getUserId(), e);
    }
    assertThat(initial.get("w-alice").getPresence().getOnline()).isTrue();
    assertThat(initial.get("w-nobody").getPresence().getOnline()).isFalse();

    RegisterResponse phone = register(stub, TestTokens.token("w-alice", "phone"), NatType.NAT_TYPE_SYMMETRIC);
    WatchEvent twoDevices = w.next(10);
    assertThat(twoDevices.getInitial()).isFalse();
    assertThat(twoDevices.getPresence().getDevicesList()).extracting(DevicePresence::getDeviceId)
        .containsExactly("laptop", "phone");

    stub.unregister(UnregisterRequest.newBuilder().setSessionToken(TestTokens.token("w-alice", "phone"))
        .setLeaseId(phone.getLeaseId()).build());
    assertThat(w.next(10).getPresence().getDevicesList()).extracting(DevicePresence::getDeviceId)
        .containsExactly("laptop");
    assertThat(w.end).isNotDone();
  }

  @Test
  void heartbeats_doNotProduceEvents() throws Exception {
    String token = TestTokens.token("hb-carol", "phone");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    WatchRecorder w = watch("hb-dave", "hb-carol");
    assertThat(w.next(10).getInitial()).isTrue();
    for (int i = 0; i < 5; i++) {
      stub.heartbeat(dev.stampede.api.directory.v1.HeartbeatRequest.newBuilder().setSessionToken(token)
          .setLeaseId(r.getLeaseId()).build());
    }
    assertThat(w.events.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void badToken_endsTheWatchUnauthenticated() throws Exception {
    WatchRecorder w = new WatchRecorder();
    async.watch(WatchRequest.newBuilder().setSessionToken(TestTokens.relayOnly("x", "y")).addUserIds("a").build(), w);
    assertThat(w.end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(w.events).isEmpty();
  }

  @Test
  void cancelledWatch_releasesItsSubscriptions() throws Exception {
    var ctx = io.grpc.Context.current().withCancellation();
    WatchRecorder w = new WatchRecorder();
    ctx.run(() -> async.watch(WatchRequest.newBuilder().setSessionToken(TestTokens.token("c-x", "y"))
        .addUserIds("c-only-watched-here").build(), w));
    w.next(10);
    String metricsBefore = Calls.http(DirectoryTestResource.httpPort, "/q/metrics").body();
    metricsBefore.lines().filter(l -> l.contains("stampede_directory")).forEach(System.out::println);
    assertThat(gauge(metricsBefore, "stampede_directory_watch_streams")).isGreaterThanOrEqualTo(1);
    ctx.cancel(null);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        gauge(Calls.http(DirectoryTestResource.httpPort, "/q/metrics").body(), "stampede_directory_watch_streams")
            < gauge(metricsBefore, "stampede_directory_watch_streams"));
  }

  static double gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " not in /q/metrics");
  }
}
