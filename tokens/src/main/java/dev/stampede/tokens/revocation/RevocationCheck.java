package dev.stampede.tokens.revocation;

import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.VerifiedSession;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Checks whether a verified session was revoked, asking Redis at most once per session per staleness bound.
 *
 * <p>For paths that make no Redis round trip on the caller's own keys (see {@link RevocationRecords} for the
 * inline alternative). A verdict is reused for {@code maxStaleness} (default {@value #DEFAULT_MAX_STALENESS_MS}
 * ms), so a log-out reaches this verifier at most that late; concurrent checks of one session share a single
 * look-up, so a storm of requests from one session costs one {@code HEXISTS} per staleness window. A look-up that
 * fails is not cached: the next check asks again.
 *
 * <p>The cache is bounded by {@code maxEntries} (default {@value #DEFAULT_MAX_ENTRIES}, ≈ 150 B each); when full,
 * verdicts older than the staleness bound go first, then arbitrary ones.
 *
 * <pre>{@code
 * RevocationCheck revocations = RevocationCheck.builder().lookup(redis::hexists).build();
 * revocations.check(verifier.verify(token))   // CompletionStage<VerifiedSession>
 *     .whenComplete((session, error) -> ...);
 * }</pre>
 *
 * <p>Thread-safe and non-blocking.
 */
public final class RevocationCheck {
  /** How long a verdict is reused, in milliseconds: the bound on how late a log-out is seen. */
  public static final long DEFAULT_MAX_STALENESS_MS = 2_000;
  /** How many verdicts are kept at most. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final RevocationLookup lookup;
  private final long maxStalenessNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Verdict> verdicts = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  private RevocationCheck(Builder b) {
    this.lookup = b.lookup;
    this.maxStalenessNanos = b.maxStaleness.toNanos();
    this.maxEntries = b.maxEntries;
    this.nanoTime = b.nanoTime;
  }

  /** Starts a builder; {@link Builder#lookup} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Completes with {@code session} when it is not revoked; exceptionally with an
   * {@link InvalidSessionTokenException} of reason {@code REVOKED} when it is, or with the look-up's failure when
   * Redis could not be asked (services answer {@code UNAVAILABLE} with pushback, as for any Redis failure).
   */
  public CompletionStage<VerifiedSession> check(VerifiedSession session) {
    return isRevoked(session.userId(), session.sessionId()).thenCompose(revoked -> revoked
        ? CompletableFuture.failedFuture(new InvalidSessionTokenException(InvalidSessionTokenException.Reason.REVOKED))
        : CompletableFuture.completedFuture(session));
  }

  /** Completes with whether the session {@code sessionId} of {@code userId} is revoked (possibly stale, see above). */
  public CompletionStage<Boolean> isRevoked(String userId, String sessionId) {
    String cacheKey = userId + ' ' + sessionId;
    long now = nanoTime.getAsLong();
    Verdict[] started = new Verdict[1];
    Verdict verdict = verdicts.compute(cacheKey, (k, old) -> {
      if (old != null && old.usableAt(now, maxStalenessNanos)) {
        return old; // in flight or fresh enough: share it
      }
      started[0] = new Verdict(now);
      return started[0];
    });
    if (started[0] == null) {
      return verdict.result;
    }
    Verdict fresh = started[0];
    CompletionStage<Boolean> asked;
    try {
      asked = lookup.hexists(RevocationRecords.key(userId), sessionId);
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    asked.whenComplete((revoked, error) -> {
      if (error != null || revoked == null) {
        verdicts.remove(cacheKey, fresh);
        fresh.result.completeExceptionally(error != null ? error : new IllegalStateException("no answer"));
      } else {
        fresh.result.complete(revoked);
      }
    });
    if (verdicts.size() > maxEntries) {
      sweep(now);
    }
    return fresh.result;
  }

  /** How many verdicts are cached now (for metrics and tests). */
  public int cachedVerdicts() {
    return verdicts.size();
  }

  private void sweep(long now) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      verdicts.values().removeIf(v -> v.result.isDone() && !v.usableAt(now, maxStalenessNanos));
      int target = maxEntries - maxEntries / 10;
      Iterator<Map.Entry<String, Verdict>> it = verdicts.entrySet().iterator();
      while (verdicts.size() > target && it.hasNext()) {
        if (it.next().getValue().result.isDone()) {
          it.remove();
        }
      }
    } finally {
      sweeping.set(false);
    }
  }

  private static final class Verdict {
    final long askedAtNanos;
    final CompletableFuture<Boolean> result = new CompletableFuture<>();

    Verdict(long askedAtNanos) {
      this.askedAtNanos = askedAtNanos;
    }

    /** In flight, or answered less than the staleness bound ago. */
    boolean usableAt(long now, long maxStalenessNanos) {
      return !result.isDone() || now - askedAtNanos < maxStalenessNanos;
    }
  }

  /** Builds a {@link RevocationCheck}. Not thread-safe; the check it builds is. */
  public static final class Builder {
    private RevocationLookup lookup;
    private Duration maxStaleness = Duration.ofMillis(DEFAULT_MAX_STALENESS_MS);
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {
    }

    /** How to ask Redis (required), e.g. {@code redis::hexists} on the service's shared async commands. */
    public Builder lookup(RevocationLookup lookup) {
      this.lookup = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * How long a verdict is reused (default {@value #DEFAULT_MAX_STALENESS_MS} ms); {@code 0} asks every time.
     *
     * @throws IllegalArgumentException if negative or longer than one minute
     */
    public Builder maxStaleness(Duration maxStaleness) {
      if (maxStaleness.isNegative() || maxStaleness.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("maxStaleness: " + maxStaleness + " (expected: 0..1 minute)");
      }
      this.maxStaleness = maxStaleness;
      return this;
    }

    /**
     * Bound on cached verdicts (default {@value #DEFAULT_MAX_ENTRIES}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** The time source (default {@link System#nanoTime}); tests pass a fake clock. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** @throws IllegalStateException if no look-up was given */
    public RevocationCheck build() {
      if (lookup == null) {
        throw new IllegalStateException("lookup: not set (expected: e.g. redis::hexists)");
      }
      return new RevocationCheck(this);
    }
  }
}
