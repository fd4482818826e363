package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.endpoint;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DevicePresence;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.LookupResponse;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.localstack.JavaApp;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two directory pods (the packaged jar, as processes) on one Redis: a change made through either reaches watchers
 * on the other, and killing both pods loses nothing — new pods serve every lease and accept its heartbeats.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "directory.process-tests", matches = "true",
    disabledReason = "runs the packaged jar: only in the process-its execution, after package")
class TwoPodsProcessIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static JavaApp podA;
  private static JavaApp podB;
  private static ManagedChannel channelA;
  private static ManagedChannel channelB;

  @BeforeAll
  static void startPods() {
    podA = DirectoryProcesses.pod("directory-a", redis.uri(), Map.of());
    podB = DirectoryProcesses.pod("directory-b", redis.uri(), Map.of());
    podA.start();
    podB.start();
    podA.awaitReady(Duration.ofSeconds(90));
    podB.awaitReady(Duration.ofSeconds(90));
    channelA = Calls.channel(podA.port("grpc"));
    channelB = Calls.channel(podB.port("grpc"));
  }

  @AfterAll
  static void stopPods() {
    for (ManagedChannel c : new ManagedChannel[] {channelA, channelB}) {
      if (c != null) {
        c.shutdownNow();
      }
    }
    for (JavaApp pod : new JavaApp[] {podA, podB}) {
      if (pod != null) {
        pod.close();
      }
    }
  }

  private static DirectoryServiceGrpc.DirectoryServiceBlockingStub a() {
    return Calls.stub(channelA);
  }

  private static DirectoryServiceGrpc.DirectoryServiceBlockingStub b() {
    return Calls.stub(channelB);
  }

  private static LookupResponse lookup(DirectoryServiceGrpc.DirectoryServiceBlockingStub stub, String user) {
    return stub.lookup(LookupRequest.newBuilder().setSessionToken(TestTokens.token("pod-looker", "d"))
        .setUserId(user).build());
  }

  @Test
  @Order(1)
  void registerOnOnePod_isSeenByLookupAndWatchOnTheOther() {
    WatchRecorder watchOnB = new WatchRecorder();
    DirectoryServiceGrpc.newStub(channelB).watch(WatchRequest.newBuilder()
        .setSessionToken(TestTokens.token("pod-bob", "w")).addUserIds("pod-alice").build(), watchOnB);
    WatchEvent snapshot = watchOnB.next(20);
    assertThat(snapshot.getInitial()).isTrue();
    assertThat(snapshot.getPresence().getOnline()).isFalse();

    register(a(), TestTokens.token("pod-alice", "laptop"), NatType.NAT_TYPE_OPEN, endpoint("192.0.2.5", 5000));
    WatchEvent online = watchOnB.next(20);
    assertThat(online.getInitial()).isFalse();
    assertThat(online.getPresence().getDevicesList()).extracting(DevicePresence::getDeviceId)
        .containsExactly("laptop");
    assertThat(lookup(b(), "pod-alice").getPresence().getDevices(0).getEndpoints(0).getHost())
        .isEqualTo("192.0.2.5");

    // A second device through B, withdrawn through A: the watcher on B sees both changes.
    String phone = TestTokens.token("pod-alice", "phone");
    RegisterResponse r = register(b(), phone, NatType.NAT_TYPE_SYMMETRIC);
    assertThat(watchOnB.next(20).getPresence().getDevicesCount()).isEqualTo(2);
    assertThat(lookup(a(), "pod-alice").getPresence().getDevicesCount()).isEqualTo(2);
    a().unregister(UnregisterRequest.newBuilder().setSessionToken(phone).setLeaseId(r.getLeaseId()).build());
    assertThat(watchOnB.next(20).getPresence().getDevicesList()).extracting(DevicePresence::getDeviceId)
        .containsExactly("laptop");
  }

  @Test
  @Order(2)
  void killingEveryPod_losesNoLease_andNewPodsAcceptTheOldLeasesHeartbeats() throws Exception {
    Map<String, RegisterResponse> leases = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      String user = "pod-user" + i;
      leases.put(user, register(i % 2 == 0 ? a() : b(), TestTokens.token(user, "phone"), NatType.NAT_TYPE_OPEN,
          endpoint("192.0.2." + (i + 1), 6000 + i)));
    }
    WatchRecorder orphan = new WatchRecorder();
    DirectoryServiceGrpc.newStub(channelA).watch(WatchRequest.newBuilder()
        .setSessionToken(TestTokens.token("pod-bob", "w")).addUserIds("pod-user0").build(), orphan);
    orphan.next(20);

    long pidA = podA.pid();
    long pidB = podB.pid();
    podA.kill();
    podB.kill();
    assertThat(orphan.end.get(20, TimeUnit.SECONDS).isOk()).isFalse();

    podA.start();
    podB.start();
    podA.awaitReady(Duration.ofSeconds(90));
    podB.awaitReady(Duration.ofSeconds(90));
    assertThat(podA.pid()).isNotEqualTo(pidA);
    assertThat(podB.pid()).isNotEqualTo(pidB);

    List<String> missing = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, RegisterResponse> e : leases.entrySet()) {
      LookupResponse l = lookup(i % 2 == 0 ? b() : a(), e.getKey());
      if (!l.getPresence().getOnline()) {
        missing.add(e.getKey());
      }
      HeartbeatResponse h = (i % 2 == 0 ? b() : a()).heartbeat(HeartbeatRequest.newBuilder()
          .setSessionToken(TestTokens.token(e.getKey(), "phone")).setLeaseId(e.getValue().getLeaseId()).build());
      assertThat(h.getExpiresAt().getSeconds()).isGreaterThanOrEqualTo(e.getValue().getExpiresAt().getSeconds());
      i++;
    }
    assertThat(missing).isEmpty();
  }
}
