package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.api.relay.v1.ReleaseRequest;
import dev.stampede.localstack.FreePorts;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.tokens.revocation.RevocationRecords;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Allocate and the answers around it: capacity, quota, bad input, Redis away, expiry, where an allocation lives. */
class RelayAllocationIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private final Clients clients = new Clients();
  private TestRelay relay;
  private TestRelay other;

  @BeforeEach
  void flush() {
    redis.flushAll();
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    for (TestRelay r : new TestRelay[] {relay, other}) {
      if (r != null) {
        r.close();
      }
    }
  }

  private StatusRuntimeException allocateFails(ManagedChannel channel, AllocateRequest request) {
    return catchThrowableOfType(StatusRuntimeException.class, () -> RelayServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).allocate(request));
  }

  @Test
  void podAtMaxAllocations_isResourceExhaustedWithRetryInfoAndPushback() throws Exception {
    RelaySettings settings = RelaySettings.builder().maxAllocations(2).build();
    relay = TestRelay.start(redis.uri(), clients.ring, settings, Clock.systemUTC());
    ManagedChannel channel = clients.channel(relay.address());
    clients.allocate(channel, "alice", "bob");
    clients.allocate(channel, "carol", "dave");

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> clients.allocate(channel, "erin", "frank"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(Clients.errorInfo(e).getReason()).isEqualTo("CAPACITY_EXHAUSTED");
    assertThat(Clients.errorInfo(e).getDomain()).isEqualTo("stampede.dev");
    // The delay is a slot of the admission library's retry calendar.
    assertThat(Clients.retryDelayMillis(e)).isPositive();
    assertThat(Clients.pushback(e)).isEqualTo(Long.toString(Clients.retryDelayMillis(e)));
    assertThat(relay.metrics.get("stampede.relay.allocations").tag("result", "capacity_exhausted").counter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void userOverQuota_isBudgetExhausted_untilAnAllocationIsReleased() throws Exception {
    RelaySettings settings = RelaySettings.builder().maxAllocationsPerUser(2).build();
    relay = TestRelay.start(redis.uri(), clients.ring, settings, Clock.systemUTC());
    ManagedChannel channel = clients.channel(relay.address());
    AllocateResponse first = clients.allocate(channel, "alice", "bob");
    clients.allocate(channel, "alice", "carol");

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> clients.allocate(channel, "alice", "dave"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(Clients.errorInfo(e).getReason()).isEqualTo("BUDGET_EXHAUSTED");
    // The oldest allocation frees itself after the allocation TTL: come back then.
    assertThat(Clients.retryDelayMillis(e)).isBetween(110_000L, 120_000L);
    assertThat(Clients.pushback(e)).isEqualTo(Long.toString(Clients.retryDelayMillis(e)));
    // Others are not affected; and the quota comes back with a release.
    clients.allocate(channel, "bob", "alice");
    clients.release(channel, "alice", first.getAllocationId());
    assertThat(clients.allocate(channel, "alice", "dave").getAllocationId()).isNotEmpty();
  }

  @Test
  void badInput_isInvalidArgumentNamingTheField() {
    relay = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    ManagedChannel channel = clients.channel(relay.address());
    String alice = clients.token("alice");

    StatusRuntimeException noToken = allocateFails(channel, AllocateRequest.newBuilder().setPeerUserId("bob").build());
    assertThat(noToken.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noToken.getStatus().getDescription()).startsWith("session_token: 0 bytes");

    StatusRuntimeException longToken = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken("x".repeat(1025)).setPeerUserId("bob").build());
    assertThat(longToken.getStatus().getDescription()).startsWith("session_token: 1025 bytes");

    StatusRuntimeException longPeer = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken(alice).setPeerUserId("b".repeat(65)).build());
    assertThat(longPeer.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(longPeer.getStatus().getDescription()).startsWith("peer_user_id: 65 bytes");

    StatusRuntimeException badPeer = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken(alice).setPeerUserId("bob}{").build());
    assertThat(badPeer.getStatus().getDescription()).startsWith("peer_user_id:");

    StatusRuntimeException self = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken(alice).setPeerUserId("alice").build());
    assertThat(self.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(self.getStatus().getDescription()).startsWith("peer_user_id: the caller");

    StatusRuntimeException garbage = RawCalls.unary(channel, RelayServiceGrpc.getAllocateMethod(),
        new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
    assertThat(garbage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(garbage.getStatus().getDescription()).contains("not a valid stampede.relay.v1.AllocateRequest");

    var release = RelayServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    StatusRuntimeException releaseNoToken = catchThrowableOfType(StatusRuntimeException.class,
        () -> release.release(ReleaseRequest.newBuilder().setAllocationId("abc").build()));
    assertThat(releaseNoToken.getStatus().getDescription()).startsWith("session_token: 0 bytes");
    StatusRuntimeException releaseLongId = catchThrowableOfType(StatusRuntimeException.class,
        () -> release.release(ReleaseRequest.newBuilder().setSessionToken(alice).setAllocationId("a".repeat(65))
            .build()));
    assertThat(releaseLongId.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(releaseLongId.getStatus().getDescription()).isEqualTo("allocation_id: 65 bytes (expected: 1..64 bytes)");
    StatusRuntimeException releaseGarbage = RawCalls.unary(channel, RelayServiceGrpc.getReleaseMethod(),
        new byte[] {(byte) 0xff, 0x01});
    assertThat(releaseGarbage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(releaseGarbage.getStatus().getDescription()).contains("not a valid stampede.relay.v1.ReleaseRequest");
  }

  @Test
  void badOrRevokedSessionToken_isUnauthenticated_andNeverEchoed() throws Exception {
    relay = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    ManagedChannel channel = clients.channel(relay.address());
    String genuine = clients.token("alice");
    int at = genuine.length() - 10;
    String forged = genuine.substring(0, at) + (genuine.charAt(at) == 'A' ? 'B' : 'A') + genuine.substring(at + 1);
    StatusRuntimeException bad = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken(forged).setPeerUserId("bob").build());
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Clients.errorInfo(bad).getReason()).isEqualTo("SESSION_INVALID");
    assertThat(bad.getStatus().getDescription()).doesNotContain(forged);

    String revoked = clients.token("alice", "s-revoked");
    redis.server().command("HSET", RevocationRecords.key("alice"), "s-revoked", "99999999999999");
    StatusRuntimeException e = allocateFails(channel, AllocateRequest.newBuilder()
        .setSessionToken(revoked).setPeerUserId("bob").build());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void redisUnreachable_isUnavailableWithPushback_andNotReady() throws Exception {
    relay = TestRelay.startWithoutWaiting("redis://127.0.0.1:" + FreePorts.find(), clients.ring,
        RelaySettings.defaults());
    ManagedChannel channel = clients.channel(relay.address());
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> clients.allocate(channel, "alice", "bob"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    ErrorInfo info = Clients.errorInfo(e);
    assertThat(info.getReason()).isEqualTo("DEPENDENCY_UNAVAILABLE");
    // At least the admission library's dependency delay (1 s), spread by up to half of it.
    assertThat(Clients.retryDelayMillis(e)).isBetween(1_000L, 1_500L);
    assertThat(Clients.pushback(e)).isEqualTo(Long.toString(Clients.retryDelayMillis(e)));
    assertThat(relay.node.isRedisReachable()).isFalse();
  }

  @Test
  void redisRestart_isSurvived() throws Exception {
    relay = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    ManagedChannel channel = clients.channel(relay.address());
    clients.allocate(channel, "alice", "bob");
    redis.server().kill();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> clients.allocate(channel, "alice", "bob"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    redis.server().restart();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> clients.allocate(channel, "alice", "bob").getAllocationId().length() > 0);
  }

  @Test
  void joinAtAnotherPod_isFailedPreconditionNamingTheHolder() throws Exception {
    relay = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    other = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    AllocateResponse a = clients.allocate(clients.channel(relay.address()), "alice", "bob");
    Leg wrong = Leg.open(clients.channel(other.address())).join(a.getAllocationId(), clients.token("bob"),
        a.getJoinToken());
    assertThat(wrong.awaitClose().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    ErrorInfo info = Clients.errorInfo(wrong.lastError);
    assertThat(info.getReason()).isEqualTo("ALLOCATION_ELSEWHERE");
    assertThat(info.getMetadataMap()).containsEntry("relay_address", relay.address());
    assertThat(wrong.lastError.getMessage()).contains(relay.address());
    // Asking elsewhere spent nothing: the join token still works at the holder.
    Leg bob = Leg.open(clients.channel(relay.address())).join(a.getAllocationId(), clients.token("bob"),
        a.getJoinToken());
    assertThat(bob.next().hasJoined()).isTrue();
  }

  @Test
  void unusedAllocation_expires_butOneInUse_isKeptAlive() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RelaySettings settings = RelaySettings.builder().allocationTtl(Duration.ofSeconds(30))
        .refreshInterval(Duration.ofMillis(200)).joinTokenTtl(Duration.ofSeconds(10)).build();
    relay = TestRelay.start(redis.uri(), clients.ring, settings, clock);
    ManagedChannel channel = clients.channel(relay.address());
    AllocateResponse idle = clients.allocate(channel, "alice", "bob");
    AllocateResponse busy = clients.allocate(channel, "carol", "dave");
    Leg carol = Leg.open(channel).join(busy.getAllocationId(), clients.token("carol"), "");
    assertThat(carol.next().hasJoined()).isTrue();

    // Time moves on in steps far shorter than the TTL (a refresh late by a few steps still lands in time); the
    // refresher keeps extending what is in use.
    for (int i = 0; i < 8; i++) {
      clock.advance(Duration.ofSeconds(6));
      Thread.sleep(600);
    }
    Leg late = Leg.open(channel).join(idle.getAllocationId(), clients.token("alice"), "");
    assertThat(late.awaitClose().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(carol.closed).isNotDone();
    Leg dave = Leg.open(channel).join(busy.getAllocationId(), clients.token("dave"), busy.getJoinToken());
    // The join token itself has expired (10 s), though the allocation is alive.
    assertThat(dave.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
