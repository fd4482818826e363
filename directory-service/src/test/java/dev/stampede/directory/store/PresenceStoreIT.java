package dev.stampede.directory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.EndpointKind;
import dev.stampede.directory.domain.LeaseId;
import dev.stampede.directory.domain.LeaseNotFoundException;
import dev.stampede.directory.domain.NatType;
import dev.stampede.directory.domain.Presence;
import dev.stampede.directory.domain.StoreUnavailableException;
import dev.stampede.testing.RedisFixture;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.VerifiedSession;
import dev.stampede.tokens.revocation.RevocationRecords;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PresenceStoreIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static RedisClient client;
  private static StatefulRedisConnection<String, byte[]> connection;
  private static RedisAsyncCommands<String, byte[]> commands;

  private static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("192.0.2.7", 40000, EndpointKind.HOST),
      new Endpoint("2001:db8::7", 40001, EndpointKind.SERVER_REFLEXIVE));

  private PresenceStore store;

  @BeforeAll
  static void connect() {
    client = RedisClient.create(redis.uri());
    connection = client.connect(BinaryCommands.CODEC);
    commands = connection.async();
  }

  @AfterAll
  static void close() {
    connection.close();
    client.shutdown();
  }

  @BeforeEach
  void setUp() {
    redis.flushAll();
    store = new PresenceStore(() -> commands, Duration.ofSeconds(60), 3);
  }

  @Test
  void register_thenRead_returnsTheDeviceWithItsEndpointsAndNat() {
    PresenceStore.Registration r = await(store.register(session("alice", "laptop"), ENDPOINTS, NatType.FULL_CONE));

    PresenceStore.Snapshot s = await(store.read("alice"));
    assertThat(s.presence().online()).isTrue();
    assertThat(s.presence().devices()).hasSize(1);
    DeviceLease d = s.presence().devices().get(0);
    assertThat(d.deviceId()).isEqualTo("laptop");
    assertThat(d.endpoints()).isEqualTo(ENDPOINTS);
    assertThat(d.natType()).isEqualTo(NatType.FULL_CONE);
    assertThat(d.expiresAtMillis()).isEqualTo(r.expiresAtMillis());
    // A 60 s lease, read back a moment later (up to a few seconds on a slow machine).
    assertThat(r.expiresAtMillis() - s.readAtMillis()).isBetween(55_000L, 60_000L);
    assertThat(r.leaseId().belongsTo("alice", "laptop")).isTrue();
    assertThat(r.leaseId().nonce()).isEqualTo(d.nonce());
  }

  @Test
  void register_setsKeyTtlToTheLeaseTtl() {
    await(store.register(session("alice", "laptop"), ENDPOINTS, NatType.OPEN));
    long pttl = Long.parseLong(redis.server().command("PTTL", "{u:alice}:p").trim());
    assertThat(pttl).isBetween(58_000L, 60_000L);
  }

  @Test
  void unknownUser_readsAsOffline() {
    Presence p = await(store.read("nobody")).presence();
    assertThat(p.online()).isFalse();
    assertThat(p.devices()).isEmpty();
  }

  @Test
  void oneUserTwoDevices_bothPresent_andEachHeartbeatsItsOwnLease() {
    LeaseId laptop = await(store.register(session("bob", "laptop"), ENDPOINTS, NatType.OPEN)).leaseId();
    LeaseId phone = await(store.register(session("bob", "phone"), List.of(), NatType.SYMMETRIC)).leaseId();

    assertThat(await(store.read("bob")).presence().devices()).extracting(DeviceLease::deviceId)
        .containsExactly("laptop", "phone");
    assertThat(await(store.heartbeat(session("bob", "laptop"), laptop))).isPositive();
    assertThat(await(store.heartbeat(session("bob", "phone"), phone))).isPositive();
  }

  @Test
  void reRegister_replacesTheLease_andTheOldLeaseIdIsNotFound() {
    VerifiedSession s = session("carol", "phone");
    LeaseId first = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    LeaseId second = await(store.register(s, List.of(), NatType.BLOCKED)).leaseId();

    assertThat(second).isNotEqualTo(first);
    Presence p = await(store.read("carol")).presence();
    assertThat(p.devices()).hasSize(1);
    assertThat(p.devices().get(0).natType()).isEqualTo(NatType.BLOCKED);
    assertThatThrownBy(() -> await(store.heartbeat(s, first))).hasCauseInstanceOf(LeaseNotFoundException.class);
    assertThat(await(store.heartbeat(s, second))).isPositive();
  }

  @Test
  void heartbeat_extendsTheLease() throws Exception {
    PresenceStore shortLived = new PresenceStore(() -> commands, Duration.ofSeconds(10), 3);
    VerifiedSession s = session("dave", "tv");
    PresenceStore.Registration r = await(shortLived.register(s, ENDPOINTS, NatType.OPEN));
    Thread.sleep(300);
    long extended = await(shortLived.heartbeat(s, r.leaseId()));
    assertThat(extended).isGreaterThan(r.expiresAtMillis());
    assertThat(await(shortLived.read("dave")).presence().devices().get(0).expiresAtMillis()).isEqualTo(extended);
  }

  @Test
  void lease_expiresByTtl_withoutAnySweeper() throws Exception {
    PresenceStore shortLived = new PresenceStore(() -> commands, Duration.ofMillis(300), 3);
    VerifiedSession s = session("erin", "watch");
    LeaseId lease = await(shortLived.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    Thread.sleep(400);

    assertThat(await(shortLived.read("erin")).presence().online()).isFalse();
    assertThatThrownBy(() -> await(shortLived.heartbeat(s, lease))).hasCauseInstanceOf(LeaseNotFoundException.class);
    // Redis itself drops the key: nothing lingers.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> redis.server().command("EXISTS", "{u:erin}:p").trim().equals("0"));
  }

  @Test
  void unregister_removesTheDevice_andIsIdempotent() {
    VerifiedSession s = session("frank", "laptop");
    LeaseId lease = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    assertThat(await(store.unregister(s, lease))).isTrue();
    assertThat(await(store.unregister(s, lease))).isFalse();
    assertThat(await(store.read("frank")).presence().online()).isFalse();
    assertThat(redis.server().command("EXISTS", "{u:frank}:p").trim()).isEqualTo("0");
  }

  @Test
  void unregister_withAReplacedLease_leavesTheCurrentOne() {
    VerifiedSession s = session("gina", "laptop");
    LeaseId old = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    await(store.register(s, ENDPOINTS, NatType.OPEN));
    assertThat(await(store.unregister(s, old))).isFalse();
    assertThat(await(store.read("gina")).presence().online()).isTrue();
  }

  @Test
  void registerBeyondMaxDevices_evictsTheLeaseThatExpiresFirst() throws Exception {
    await(store.register(session("hank", "d1"), ENDPOINTS, NatType.OPEN));
    Thread.sleep(5);
    await(store.register(session("hank", "d2"), ENDPOINTS, NatType.OPEN));
    Thread.sleep(5);
    await(store.register(session("hank", "d3"), ENDPOINTS, NatType.OPEN));
    Thread.sleep(5);
    await(store.register(session("hank", "d4"), ENDPOINTS, NatType.OPEN));

    assertThat(await(store.read("hank")).presence().devices()).extracting(DeviceLease::deviceId)
        .containsExactly("d2", "d3", "d4");
  }

  @Test
  void revokedSession_cannotRegisterHeartbeatOrUnregister() {
    VerifiedSession s = session("ivy", "phone");
    LeaseId lease = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    redis.server().command("HSET", RevocationRecords.key("ivy"), s.sessionId(), "9999999999999");

    assertRevoked(() -> await(store.heartbeat(s, lease)));
    assertRevoked(() -> await(store.register(s, ENDPOINTS, NatType.OPEN)));
    assertRevoked(() -> await(store.unregister(s, lease)));
    // Another session of the same user is unaffected.
    assertThat(await(store.register(session("ivy", "tablet"), ENDPOINTS, NatType.OPEN)).leaseId()).isNotNull();
  }

  @Test
  void scriptsFlushedFromRedis_areReloadedTransparently() {
    VerifiedSession s = session("jack", "phone");
    LeaseId lease = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
    redis.server().command("SCRIPT", "FLUSH");
    assertThat(await(store.heartbeat(s, lease))).isPositive();
    // The EVAL that recovered cached the script under the SHA-1 the next EVALSHA names.
    assertThat(redis.server().command("SCRIPT", "EXISTS", LuaScript.load("heartbeat.lua").sha1())).contains("1");
    redis.server().command("SCRIPT", "FLUSH");
    assertThat(await(store.read("jack")).presence().online()).isTrue();
  }

  @Test
  void writes_publishOnTheUsersChannel_heartbeatsDoNot() throws Exception {
    var sub = client.connectPubSub(BinaryCommands.CODEC);
    java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, byte[] message) {
        got.add(channel + " " + new String(message));
      }
    });
    sub.sync().subscribe(PresenceKeys.channel("kate"));
    try {
      VerifiedSession s = session("kate", "phone");
      LeaseId lease = await(store.register(s, ENDPOINTS, NatType.OPEN)).leaseId();
      assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("{u:kate}:w r");
      await(store.heartbeat(s, lease));
      await(store.unregister(s, lease));
      assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("{u:kate}:w u");
      assertThat(got).isEmpty();
    } finally {
      sub.close();
    }
  }

  @Test
  void redisNotConnected_failsFastWithStoreUnavailable() {
    PresenceStore disconnected = new PresenceStore(() -> {
      throw new StoreUnavailableException("Redis: not connected yet", null);
    }, Duration.ofSeconds(60), 3);
    assertThatThrownBy(() -> await(disconnected.read("x"))).hasCauseInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> await(disconnected.register(session("x", "y"), ENDPOINTS, NatType.OPEN)))
        .hasCauseInstanceOf(StoreUnavailableException.class);
  }

  private static void assertRevoked(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).cause().isInstanceOfSatisfying(InvalidSessionTokenException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidSessionTokenException.Reason.REVOKED));
  }

  static VerifiedSession session(String user, String device) {
    Instant now = Instant.now();
    return new VerifiedSession(new SessionClaims(user, device, "s-" + user + "-" + device, now,
        now.plusSeconds(600)), "directory", "k1");
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
