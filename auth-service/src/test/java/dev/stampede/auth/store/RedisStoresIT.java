package dev.stampede.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.auth.domain.AccountExistsException;
import dev.stampede.auth.domain.AuthFailure;
import dev.stampede.auth.domain.Grant;
import dev.stampede.auth.domain.Inputs;
import dev.stampede.auth.domain.Introspection;
import dev.stampede.auth.domain.PasswordHasher.Purpose;
import dev.stampede.auth.domain.StoreUnavailableException;
import dev.stampede.auth.domain.Username;
import dev.stampede.testing.RedisFixture;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.revocation.RevocationCheck;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStoresIT {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.create();

  private Graph graph;

  @BeforeEach
  void setUp() {
    REDIS.flushAll();
    graph = new Graph(REDIS.uri());
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));
  }

  @AfterEach
  void tearDown() {
    graph.close();
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new CompletionException(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] pw(String s) {
    return Inputs.password("password", s, 1);
  }

  private Grant signUpAndLogin(String name, String device) {
    join(graph.accounts.create(Username.parse("username", name), pw("password-1"), graph.lane));
    return join(graph.accounts.login(Username.parse("username", name), pw("password-1"), device,
        graph.lane));
  }

  @Test
  void createLoginResume_reuseOfRotatedTicket_revokesFamily_thenLogout() throws Exception {
    Grant login = signUpAndLogin("Alice", "laptop");
    assertThat(graph.directoryVerifier.verify(login.sessionToken()).userId()).isEqualTo(login.userId());

    Grant resumed = join(graph.sessions.resume(login.resumeTicket(), "laptop", ""));
    assertThat(resumed.sessionId()).isEqualTo(login.sessionId());
    assertThat(resumed.resumeTicket()).isNotEqualTo(login.resumeTicket());
    assertThat(graph.relayVerifier.verify(resumed.sessionToken()).sessionId()).isEqualTo(login.sessionId());

    // The old ticket again: theft detected, the whole family and its sessions are revoked.
    assertThatThrownBy(() -> join(graph.sessions.resume(login.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class).extracting(e -> ((AuthFailure) e).reason())
        .isEqualTo(AuthFailure.Reason.TICKET_INVALID);
    assertThat(graph.outcome("resume", "reused")).isEqualTo(1);
    assertThatThrownBy(() -> join(graph.sessions.resume(resumed.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "revoked")).isEqualTo(1);
    assertThat(join(graph.sessions.introspect(resumed.sessionToken())).active()).isFalse();

    // Verifiers see the revocation through the published record.
    RevocationCheck check = RevocationCheck.builder().lookup(graph.redis.async()::hexists).build();
    assertThatThrownBy(() -> join(check.check(graph.relayVerifier.verify(resumed.sessionToken()))))
        .hasRootCauseInstanceOf(InvalidSessionTokenException.class);

    // A fresh log-in works; logout revokes it, idempotently.
    Grant again = join(graph.accounts.login(Username.parse("username", "ALICE"), pw("password-1"), "laptop",
        graph.lane));
    assertThat(join(graph.sessions.introspect(again.sessionToken())).active()).isTrue();
    join(graph.sessions.logout(again.sessionToken()));
    join(graph.sessions.logout(again.sessionToken()));
    Introspection after = join(graph.sessions.introspect(again.sessionToken()));
    assertThat(after.active()).isFalse();
    assertThatThrownBy(() -> join(graph.sessions.resume(again.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class);
  }

  @Test
  void reuseGrace_regrantsALostAnswer_butTheTicketItReplacedCountsAsReuse() {
    graph.close();
    graph = new Graph(REDIS.uri(), Graph.CHEAP, java.time.Clock.systemUTC(), Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));
    Grant login = signUpAndLogin("lost-answer", "laptop");
    Grant lost = join(graph.sessions.resume(login.resumeTicket(), "laptop", "")); // its answer never arrives

    Grant retried = join(graph.sessions.resume(login.resumeTicket(), "laptop", ""));
    assertThat(graph.outcome("resume", "regranted")).isEqualTo(1);
    assertThat(join(graph.sessions.resume(retried.resumeTicket(), "laptop", "")).sessionId())
        .isEqualTo(login.sessionId());
    // Whoever still holds the ticket of the lost answer shows up as re-use: the family is revoked.
    assertThatThrownBy(() -> join(graph.sessions.resume(lost.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "reused")).isEqualTo(1);
  }

  @Test
  void idempotencyKey_regrantsALostAnswer_withoutGrace_butAnotherKeyIsReuse() {
    Grant login = signUpAndLogin("retrying", "laptop");
    String key = "k-0123456789abcdef";
    Grant lost = join(graph.sessions.resume(login.resumeTicket(), "laptop", key)); // its answer never arrives

    // Another key, or none, is re-use as the contract says: nothing is granted (checked on a copy of the family).
    Grant twin = signUpAndLogin("retrying-twin", "laptop");
    join(graph.sessions.resume(twin.resumeTicket(), "laptop", key));
    assertThatThrownBy(() -> join(graph.sessions.resume(twin.resumeTicket(), "laptop", "k-fedcba9876543210")))
        .isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "reused")).isEqualTo(1);

    Grant retried = join(graph.sessions.resume(login.resumeTicket(), "laptop", key));
    Grant retriedAgain = join(graph.sessions.resume(login.resumeTicket(), "laptop", key));
    assertThat(graph.outcome("resume", "regranted")).isEqualTo(2);
    assertThat(retriedAgain.sessionId()).isEqualTo(login.sessionId());
    // Each regrant spends the ticket the one before handed out; the newest goes on rotating.
    assertThatThrownBy(() -> join(graph.sessions.resume(retried.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "reused")).isEqualTo(2);
    assertThat(join(graph.sessions.introspect(retriedAgain.sessionToken())).active()).isFalse();
    assertThat(lost.sessionId()).isEqualTo(login.sessionId());
  }

  @Test
  void introspection_listsAudiences_andClaims() {
    Grant g = signUpAndLogin("bob", "phone-1");
    Introspection i = join(graph.sessions.introspect(g.sessionToken()));

    assertThat(i.active()).isTrue();
    assertThat(i.audiences()).containsExactly("auth", "directory", "relay");
    assertThat(i.claims().deviceId()).isEqualTo("phone-1");
    assertThat(join(graph.sessions.introspect("s1.garbage")).active()).isFalse();
  }

  @Test
  void resume_fromAnotherDevice_isRefused_withoutSpendingTheTicket() {
    Grant g = signUpAndLogin("carol", "laptop");

    assertThatThrownBy(() -> join(graph.sessions.resume(g.resumeTicket(), "thief", ""))).isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "wrong_device")).isEqualTo(1);
    assertThat(join(graph.sessions.resume(g.resumeTicket(), "laptop", "")).userId()).isEqualTo(g.userId());
  }

  @Test
  void forgedTicket_forAKnownSession_revokesNothing() {
    Grant g = signUpAndLogin("dave", "laptop");
    String t = g.resumeTicket();
    String forged = t.substring(0, t.length() - 5) + (t.endsWith("AAAAA") ? "BBBBB" : "AAAAA");

    assertThatThrownBy(() -> join(graph.sessions.resume(forged, "laptop", ""))).isInstanceOf(AuthFailure.class);
    assertThat(graph.outcome("resume", "forged")).isEqualTo(1);
    assertThat(join(graph.sessions.resume(t, "laptop", "")).sessionId()).isEqualTo(g.sessionId());
  }

  @Test
  void wrongPassword_andUnknownUser_failAlike_afterTheSameHashWork() {
    signUpAndLogin("erin", "laptop");
    long before = graph.hasher.hashesComputed(Purpose.LOGIN);

    assertThatThrownBy(() -> join(graph.accounts.login(Username.parse("username", "erin"), pw("nope"), "d",
        graph.lane))).isInstanceOf(AuthFailure.class).hasMessage("user name or password is wrong");
    assertThatThrownBy(() -> join(graph.accounts.login(Username.parse("username", "nobody"), pw("nope"), "d",
        graph.lane))).isInstanceOf(AuthFailure.class).hasMessage("user name or password is wrong");
    assertThat(graph.hasher.hashesComputed(Purpose.LOGIN)).isEqualTo(before + 2);
  }

  @Test
  void duplicateName_afterNormalisation_isAlreadyExists_withoutHashing() {
    join(graph.accounts.create(Username.parse("username", "Frank"), pw("password-1"), graph.lane));
    long before = graph.hasher.hashesComputed(Purpose.SIGN_UP);

    assertThatThrownBy(() -> join(graph.accounts.create(Username.parse("username", "ＦＲＡＮＫ"), pw("password-2"),
        graph.lane))).isInstanceOf(AccountExistsException.class);
    assertThat(graph.hasher.hashesComputed(Purpose.SIGN_UP)).isEqualTo(before);
  }

  @Test
  void raisedParameters_rehashOnNextLogin_once() {
    signUpAndLogin("grace", "laptop");
    String userId = Username.parse("username", "grace").userId();
    String oldHash = join(graph.accountStore.passwordHash(userId));
    graph.close();
    graph = new Graph(REDIS.uri(), new dev.stampede.auth.domain.Argon2Params(128, 2, 1), java.time.Clock.systemUTC(),
        Duration.ZERO);
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));

    join(graph.accounts.login(Username.parse("username", "grace"), pw("password-1"), "laptop",
        graph.lane));
    String newHash = join(graph.accountStore.passwordHash(userId));
    assertThat(oldHash).contains("m=64,t=1,p=1");
    assertThat(newHash).contains("m=128,t=2,p=1");
    assertThat(graph.hasher.hashesComputed(Purpose.REHASH)).isEqualTo(1);
    join(graph.accounts.login(Username.parse("username", "grace"), pw("password-1"), "laptop",
        graph.lane));
    assertThat(graph.hasher.hashesComputed(Purpose.REHASH)).isEqualTo(1);
  }

  @Test
  void seed_hashesOnce_createsInOrder_andLeavesExistingAlone() {
    join(graph.accounts.create(Username.parse("username", "load5"), pw("own-password"), graph.lane));
    long before = graph.hasher.hashesComputed(Purpose.SEED);

    var result = join(graph.accounts.seed(Username.parse("username_prefix", "Load"), 0, 600, pw("seeded-pw"),
        graph.lane));

    assertThat(graph.hasher.hashesComputed(Purpose.SEED)).isEqualTo(before + 1);
    assertThat(result.created()).isEqualTo(599);
    assertThat(result.existing()).isEqualTo(1);
    assertThat(result.userIds()).hasSize(600).first().isEqualTo(Username.parse("u", "load0").userId());
    assertThat(result.userIds().get(599)).isEqualTo(Username.parse("u", "load599").userId());
    join(graph.accounts.login(Username.parse("username", "load599"), pw("seeded-pw"), "d", graph.lane));
    join(graph.accounts.login(Username.parse("username", "load5"), pw("own-password"), "d", graph.lane));
  }

  @Test
  void revocationRecords_expireAfterTheRetention_andArePruned() {
    Grant a = signUpAndLogin("heidi", "laptop");
    join(graph.sessions.logout(a.sessionToken()));
    String key = "{u:" + a.userId() + "}:revoked";

    long pttl = Long.parseLong(REDIS.server().command("PTTL", key).trim());
    assertThat(pttl).isBetween(Duration.ofMinutes(15).toMillis(), graph.policy.revocationRetention().toMillis());
    // A stale field (its record ended in the past) is pruned on the next write.
    REDIS.server().command("HSET", key, "sOld", "1");
    Grant b = join(graph.accounts.login(Username.parse("username", "heidi"), pw("password-1"), "laptop",
        graph.lane));
    join(graph.sessions.logout(b.sessionToken()));
    assertThat(REDIS.server().command("HEXISTS", key, "sOld").trim()).isEqualTo("0");
    assertThat(REDIS.server().command("HLEN", key).trim()).isEqualTo("2");
  }

  @Test
  void scriptCacheFlushed_scriptsAreReloaded() {
    Grant g = signUpAndLogin("ivan", "laptop");
    REDIS.server().command("SCRIPT", "FLUSH");

    assertThat(join(graph.sessions.resume(g.resumeTicket(), "laptop", "")).userId()).isEqualTo(g.userId());
  }

  @Test
  void redisKilled_failsFast_thenRecoversWithoutRestart() {
    Grant g = signUpAndLogin("judy", "laptop");
    REDIS.server().kill();
    await().atMost(Duration.ofSeconds(5)).until(() -> !graph.redis.isConnected());

    long start = System.nanoTime();
    assertThatThrownBy(() -> join(graph.sessions.resume(g.resumeTicket(), "laptop", "")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

    REDIS.server().restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));
    // Without AOF the data is gone: the ticket is unknown, but the store answers again.
    assertThatThrownBy(() -> join(graph.sessions.resume(g.resumeTicket(), "laptop", "")))
        .isInstanceOf(AuthFailure.class);
    signUpAndLogin("judy", "laptop");
  }

  @Test
  void connector_startsWithoutRedis_andConnectsWhenItAppears() {
    graph.close();
    REDIS.server().kill();
    graph = new Graph(REDIS.uri());

    assertThatThrownBy(() -> join(graph.accountStore.exists("uX"))).isInstanceOf(StoreUnavailableException.class);
    REDIS.server().restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));
    assertThat(join(graph.accountStore.exists("uX"))).isFalse();
  }

  /** The shared connection reconnects on demand; poke it the way the service's monitor does. */
  static boolean connected(Graph graph) {
    graph.redis.connect();
    return graph.redis.isConnected();
  }
}
