package dev.stampede.tokens.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.VerifiedSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RevocationCheckTest {
  /** A fake Redis hash set whose answers the test releases by hand. */
  private static final class FakeLookup implements RevocationLookup {
    final Set<String> revoked = new HashSet<>();
    final List<CompletableFuture<Boolean>> pending = new ArrayList<>();
    final List<String> keysAsked = new ArrayList<>();
    boolean answerImmediately = true;

    @Override
    public synchronized CompletionStage<Boolean> hexists(String key, String sessionId) {
      keysAsked.add(key);
      CompletableFuture<Boolean> f = new CompletableFuture<>();
      if (answerImmediately) {
        f.complete(revoked.contains(key + "/" + sessionId));
      } else {
        pending.add(f);
      }
      return f;
    }
  }

  private final FakeLookup redis = new FakeLookup();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final RevocationCheck check = RevocationCheck.builder()
      .lookup(redis).maxStaleness(Duration.ofSeconds(2)).maxEntries(100).nanoTime(nanos::get).build();

  private static VerifiedSession session(String user, String sid) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new VerifiedSession(new SessionClaims(user, "dev", sid, now, now.plusSeconds(600)), "relay", "r1");
  }

  @Test
  void key_isUnderTheUsersHashTag() {
    assertThat(RevocationRecords.key("u_1")).isEqualTo("{u:u_1}:revoked");
    assertThatThrownBy(() -> RevocationRecords.key("a}b")).hasMessageContaining("userId");
  }

  @Test
  void notRevoked_passesTheSessionThrough_andAsksTheUsersKey() {
    VerifiedSession s = session("u1", "s1");

    assertThat(check.check(s).toCompletableFuture().join()).isSameAs(s);
    assertThat(redis.keysAsked).containsExactly("{u:u1}:revoked");
  }

  @Test
  void revoked_failsWithReasonRevoked() {
    redis.revoked.add("{u:u1}:revoked/s1");

    assertThatThrownBy(() -> check.check(session("u1", "s1")).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(InvalidSessionTokenException.class)
        .extracting(e -> ((InvalidSessionTokenException) e).reason())
        .isEqualTo(InvalidSessionTokenException.Reason.REVOKED);
  }

  @Test
  void verdict_isReusedWithinStaleness_thenAskedAgain() {
    assertThat(check.isRevoked("u1", "s1").toCompletableFuture().join()).isFalse();
    redis.revoked.add("{u:u1}:revoked/s1");

    nanos.addAndGet(Duration.ofMillis(1_999).toNanos());
    assertThat(check.isRevoked("u1", "s1").toCompletableFuture().join()).isFalse();
    assertThat(redis.keysAsked).hasSize(1);

    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(check.isRevoked("u1", "s1").toCompletableFuture().join()).isTrue();
    assertThat(redis.keysAsked).hasSize(2);
  }

  @Test
  void concurrentChecksOfOneSession_shareOneLookup() {
    redis.answerImmediately = false;
    var a = check.isRevoked("u1", "s1").toCompletableFuture();
    nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // in flight longer than the staleness bound: still shared
    var b = check.isRevoked("u1", "s1").toCompletableFuture();
    var other = check.isRevoked("u1", "s2").toCompletableFuture();

    assertThat(redis.pending).hasSize(2);
    assertThat(a).isNotDone();
    redis.pending.get(0).complete(true);
    assertThat(a.join()).isTrue();
    assertThat(b.join()).isTrue();
    assertThat(other).isNotDone();
  }

  @Test
  void failedLookup_isNotCached() {
    redis.answerImmediately = false;
    var first = check.isRevoked("u1", "s1").toCompletableFuture();
    redis.pending.get(0).completeExceptionally(new IllegalStateException("redis down"));

    assertThat(first).isCompletedExceptionally();
    redis.answerImmediately = true;
    assertThat(check.isRevoked("u1", "s1").toCompletableFuture().join()).isFalse();
    assertThat(redis.keysAsked).hasSize(2);
  }

  @Test
  void lookupThatThrows_failsTheStage() {
    RevocationCheck throwing = RevocationCheck.builder().lookup((k, s) -> {
      throw new IllegalStateException("rejected: disconnected");
    }).build();

    assertThat(throwing.isRevoked("u1", "s1").toCompletableFuture()).isCompletedExceptionally();
    assertThat(throwing.cachedVerdicts()).isZero();
  }

  @Test
  void cache_staysBounded() {
    for (int i = 0; i < 1_000; i++) {
      check.isRevoked("u" + i, "s").toCompletableFuture().join();
      assertThat(check.cachedVerdicts()).isLessThanOrEqualTo(101);
    }
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    check.isRevoked("fresh", "s").toCompletableFuture().join();
    for (int i = 0; i < 100; i++) {
      check.isRevoked("v" + i, "s").toCompletableFuture().join();
    }
    assertThat(check.cachedVerdicts()).isLessThanOrEqualTo(101);
  }

  @Test
  void builder_validates() {
    assertThatThrownBy(() -> RevocationCheck.builder().build()).hasMessageContaining("lookup: not set");
    assertThatThrownBy(() -> RevocationCheck.builder().maxEntries(0)).hasMessageContaining("maxEntries: 0");
    assertThatThrownBy(() -> RevocationCheck.builder().maxStaleness(Duration.ofMinutes(2)))
        .hasMessageContaining("maxStaleness");
  }
}
