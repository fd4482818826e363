package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.failsWith;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.localstack.RedisServer;
import dev.stampede.testing.InjectRedis;
import dev.stampede.testing.RedisTestResource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases with a two-second TTL (short, yet far above a slow machine's pauses): they vanish without heartbeats, survive with them, and watchers hear of expiry. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(value = DirectoryTestResource.class, initArgs = {
    @ResourceArg(name = "leaseTtl", value = "2s"), @ResourceArg(name = "expiryGrace", value = "50ms")})
class LeaseExpiryIT {
  @InjectRedis
  RedisServer redis;

  private ManagedChannel channel;
  private DirectoryServiceGrpc.DirectoryServiceBlockingStub stub;

  @BeforeEach
  void connect() {
    channel = Calls.channel(DirectoryTestResource.grpcPort);
    stub = Calls.stub(channel);
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  private boolean online(String user) {
    return stub.lookup(LookupRequest.newBuilder().setSessionToken(TestTokens.token("exp-looker", "d"))
        .setUserId(user).build()).getPresence().getOnline();
  }

  @Test
  void leaseWithoutHeartbeat_expires_andItsHeartbeatIsNotFound() {
    String token = TestTokens.token("exp-alice", "phone");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    assertThat(r.getTtl().getSeconds()).isEqualTo(2);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !online("exp-alice"));
    failsWith(Status.Code.NOT_FOUND, () -> stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token)
        .setLeaseId(r.getLeaseId()).build()));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS", "{u:exp-alice}:p").trim().equals("0"));
  }

  @Test
  void heartbeats_keepALeaseAliveLongPastItsTtl() throws Exception {
    String token = TestTokens.token("exp-bob", "phone");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    long until = System.nanoTime() + Duration.ofMillis(5000).toNanos();
    while (System.nanoTime() < until) {
      stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token).setLeaseId(r.getLeaseId()).build());
      Thread.sleep(200);
    }
    assertThat(online("exp-bob")).isTrue();
  }

  @Test
  void watcher_hearsOfExpiry_withoutAnyWrite() {
    register(stub, TestTokens.token("exp-carol", "phone"), NatType.NAT_TYPE_OPEN);
    WatchRecorder w = new WatchRecorder();
    DirectoryServiceGrpc.newStub(channel).watch(WatchRequest.newBuilder()
        .setSessionToken(TestTokens.token("exp-dave", "d")).addUserIds("exp-carol").build(), w);
    // The snapshot may already be offline on a slow machine; either way an offline event arrives.
    w.until(e -> !e.getPresence().getOnline(), 10);
  }
}
