package dev.stampede.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.relay.domain.Role;
import dev.stampede.relay.store.AllocationStore.JoinStatus;
import dev.stampede.relay.store.AllocationStore.Presence;
import dev.stampede.relay.store.AllocationStore.ReleaseStatus;
import dev.stampede.relay.store.AllocationStore.TokenGrant;
import dev.stampede.testing.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Lua scripts and key schema against a real Redis; times are logical (passed in), so no test waits. */
class AllocationStoreIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static SharedRedis link;
  private static AllocationStore store;
  private static final long NOW = 1_700_000_000_000L;
  private static final long TTL = 120_000;

  @BeforeAll
  static void connect() {
    link = SharedRedis.builder(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      link.connect();
      return link.isConnected();
    });
    store = new AllocationStore(link::async);
  }

  @AfterAll
  static void close() {
    link.close();
  }

  @BeforeEach
  void flush() {
    redis.flushAll();
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static void create(String id, String pod) throws Exception {
    assertThat(get(store.create(id, "alice", "bob", pod, NOW + TTL, 2 * TTL,
        new TokenGrant("hash-bob", "bob", NOW + 60_000)))).isTrue();
  }

  @Test
  void reserve_isBounded_andExpiredMembersMakeRoom() throws Exception {
    String key = Keys.podAllocations("p1");
    assertThat(get(store.reserve(key, "a", NOW, NOW + 1_000, 2, TTL)).reserved()).isTrue();
    assertThat(get(store.reserve(key, "b", NOW, NOW + 5_000, 2, TTL)).reserved()).isTrue();
    AllocationStore.Reservation full = get(store.reserve(key, "c", NOW, NOW + 5_000, 2, TTL));
    assertThat(full.reserved()).isFalse();
    assertThat(full.count()).isEqualTo(2);
    assertThat(full.earliestExpiryMs()).isEqualTo(NOW + 1_000);
    // Re-reserving a member that is there is not a second place.
    assertThat(get(store.reserve(key, "b", NOW, NOW + 6_000, 2, TTL)).reserved()).isTrue();
    // "a" expires at NOW + 1000: later, there is room again.
    assertThat(get(store.reserve(key, "c", NOW + 1_000, NOW + 7_000, 2, TTL)).reserved()).isTrue();
    assertThat(get(store.podLoad("p1", NOW + 1_000))).isEqualTo(2);
    assertThat(Long.parseLong(redis.server().command("PTTL", key))).isPositive();
  }

  @Test
  void create_refusesATakenId_andEveryKeyHasATtl() throws Exception {
    create("id1", "p1");
    assertThat(get(store.create("id1", "carol", "dave", "p2", NOW + TTL, 2 * TTL,
        new TokenGrant("h", "dave", NOW)))).isFalse();
    assertThat(Long.parseLong(redis.server().command("PTTL", Keys.allocation("id1")))).isPositive();
    assertThat(Long.parseLong(redis.server().command("PTTL", Keys.joinTokens("id1")))).isPositive();
  }

  @Test
  void joinToken_isSpentOnlyByAnAdmittedJoinOfItsUser() throws Exception {
    create("id1", "p1");
    assertThat(get(store.join("id1", "carol", "hash-bob", NOW, "p1")).status()).isEqualTo(JoinStatus.TOKEN_INVALID);
    assertThat(get(store.join("id1", "bob", "", NOW, "p1")).status()).isEqualTo(JoinStatus.TOKEN_REQUIRED);
    assertThat(get(store.join("id1", "carol", "", NOW, "p1")).status()).isEqualTo(JoinStatus.NOT_A_PARTY);
    AllocationStore.JoinOutcome elsewhere = get(store.join("id1", "bob", "hash-bob", NOW, "p2"));
    assertThat(elsewhere.status()).isEqualTo(JoinStatus.MOVED);
    assertThat(elsewhere.pod()).isEqualTo("p1");

    AllocationStore.JoinOutcome ok = get(store.join("id1", "bob", "hash-bob", NOW, "p1"));
    assertThat(ok.status()).isEqualTo(JoinStatus.OK);
    assertThat(ok.role()).isEqualTo(Role.PEER);
    assertThat(ok.owner()).isEqualTo("alice");
    assertThat(get(store.join("id1", "bob", "hash-bob", NOW, "p1")).status()).isEqualTo(JoinStatus.TOKEN_INVALID);
    // Bound now: Bob may rejoin without a token; Alice always could.
    assertThat(get(store.join("id1", "bob", "", NOW, "p1")).status()).isEqualTo(JoinStatus.OK);
    assertThat(get(store.join("id1", "alice", "", NOW, "p1")).role()).isEqualTo(Role.OWNER);
  }

  @Test
  void expiredToken_andExpiredAllocation_areRefused() throws Exception {
    create("id1", "p1");
    assertThat(get(store.join("id1", "bob", "hash-bob", NOW + 60_000, "p1")).status())
        .isEqualTo(JoinStatus.TOKEN_INVALID);
    assertThat(get(store.join("id1", "alice", "", NOW + TTL, "p1")).status()).isEqualTo(JoinStatus.NOT_FOUND);
    assertThat(get(store.join("nope", "alice", "", NOW, "p1")).status()).isEqualTo(JoinStatus.NOT_FOUND);
  }

  @Test
  void touch_extendsOnlyWhatThePodHolds() throws Exception {
    create("id1", "p1");
    assertThat(get(store.touch("id1", "p1", NOW + 100_000, NOW + 220_000, 2 * TTL)).presence())
        .isEqualTo(Presence.HELD);
    // Past the original expiry, it is alive because it was extended.
    assertThat(get(store.join("id1", "alice", "", NOW + 150_000, "p1")).status()).isEqualTo(JoinStatus.OK);
    AllocationStore.Touch other = get(store.touch("id1", "p2", NOW, NOW + TTL, 2 * TTL));
    assertThat(other.presence()).isEqualTo(Presence.ELSEWHERE);
    assertThat(other.pod()).isEqualTo("p1");
    assertThat(get(store.touch("id1", "p1", NOW + 300_000, NOW + 400_000, 2 * TTL)).presence())
        .isEqualTo(Presence.GONE);
  }

  @Test
  void move_rehomesKeepingTheIdAndTheUnusedJoinToken_andIssuesRejoinTokens() throws Exception {
    create("id1", "p1");
    AllocationStore.Touch moved = get(store.move("id1", "p1", "p2", NOW, NOW + TTL, 2 * TTL,
        List.of(new TokenGrant("hash-alice-rejoin", "alice", NOW + 60_000))));
    assertThat(moved.presence()).isEqualTo(Presence.HELD);
    assertThat(get(store.join("id1", "bob", "hash-bob", NOW, "p1")).pod()).isEqualTo("p2");
    assertThat(get(store.join("id1", "bob", "hash-bob", NOW, "p2")).status()).isEqualTo(JoinStatus.OK);
    assertThat(get(store.join("id1", "bob", "hash-alice-rejoin", NOW, "p2")).status())
        .isEqualTo(JoinStatus.TOKEN_INVALID);
    assertThat(get(store.join("id1", "alice", "hash-alice-rejoin", NOW, "p2")).status()).isEqualTo(JoinStatus.OK);
    // A second move from the old pod finds it is not there any more.
    assertThat(get(store.move("id1", "p1", "p3", NOW, NOW + TTL, 2 * TTL, List.of())).presence())
        .isEqualTo(Presence.ELSEWHERE);
  }

  @Test
  void release_byAParty_deletesEverything_strangersAreRefused_andItIsIdempotent() throws Exception {
    create("id1", "p1");
    assertThat(get(store.release("id1", "carol")).status()).isEqualTo(ReleaseStatus.NOT_A_PARTY);
    AllocationStore.Released r = get(store.release("id1", "bob"));
    assertThat(r.status()).isEqualTo(ReleaseStatus.RELEASED);
    assertThat(r.owner()).isEqualTo("alice");
    assertThat(r.pod()).isEqualTo("p1");
    assertThat(redis.server().command("EXISTS", Keys.allocation("id1"), Keys.joinTokens("id1"))).isEqualTo("0");
    assertThat(get(store.release("id1", "bob")).status()).isEqualTo(ReleaseStatus.GONE);
  }

  @Test
  void scriptsSurviveAScriptFlush() throws Exception {
    create("id1", "p1");
    redis.server().command("SCRIPT", "FLUSH");
    assertThat(get(store.join("id1", "alice", "", NOW, "p1")).status()).isEqualTo(JoinStatus.OK);
  }

  @Test
  void podRegistry_listsLivePodsOnly() throws Exception {
    PodRegistry registry = new PodRegistry(link::async);
    get(registry.heartbeat("p1", NOW, NOW + 10_000));
    get(registry.heartbeat("p2", NOW, NOW + 1_000));
    assertThat(get(registry.livePods(NOW + 500))).containsExactlyInAnyOrder("p1", "p2");
    assertThat(get(registry.livePods(NOW + 5_000))).containsExactly("p1");
    get(registry.leave("p1"));
    assertThat(get(registry.livePods(NOW))).containsExactly("p2");
  }
}
