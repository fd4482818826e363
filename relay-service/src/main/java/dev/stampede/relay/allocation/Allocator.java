package dev.stampede.relay.allocation;

import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.Ids;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.RelayException.Kind;
import dev.stampede.relay.forward.BandwidthLimiter;
import dev.stampede.relay.forward.Session;
import dev.stampede.relay.forward.Sessions;
import dev.stampede.relay.store.AllocationStore;
import dev.stampede.relay.store.AllocationStore.TokenGrant;
import dev.stampede.relay.store.Keys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Allocate, join and release on this pod: capacity (allocations per pod, bytes per second), per-user quota, join
 * tokens, and where an allocation lives. Every answer is a stage that fails with a {@link RelayException}; a Redis
 * failure becomes {@code DEPENDENCY_UNAVAILABLE}.
 *
 * <p>Thread-safe.
 */
public final class Allocator {
  private final String pod;
  private final RelaySettings settings;
  private final AllocationStore store;
  private final Sessions sessions;
  private final BandwidthLimiter limiter;
  private final DrainState drain;
  private final Ids ids;
  private final Clock clock;

  public Allocator(String pod, RelaySettings settings, AllocationStore store, Sessions sessions,
      BandwidthLimiter limiter, DrainState drain, Ids ids, Clock clock) {
    this.pod = pod;
    this.settings = settings;
    this.store = store;
    this.sessions = sessions;
    this.limiter = limiter;
    this.drain = drain;
    this.ids = ids;
    this.clock = clock;
  }

  /** This pod's address, {@code host:port}. */
  public String pod() {
    return pod;
  }

  /** Physical TTL of allocation keys: the logical TTL plus room for clock skew and a late refresh. */
  long keyTtlMs() {
    return settings.allocationTtl().toMillis() * 2;
  }

  /**
   * Reserves an allocation between {@code owner} and {@code peer} on this pod.
   *
   * <p>Refusals: {@code DRAINING}; {@code CAPACITY_EXHAUSTED} when the pod holds its maximum of allocations or
   * forwarded at its bandwidth limit within the last second; {@code BUDGET_EXHAUSTED} when the owner holds their
   * quota (retry when their oldest allocation expires).
   */
  public CompletionStage<Allocated> allocate(String owner, String peer) {
    if (drain.isDraining()) {
      return failed(RelayException.overloaded(Kind.DRAINING, "relay pod is draining: allocate on another pod"));
    }
    if (limiter.isSaturated()) {
      return failed(RelayException.overloaded(Kind.CAPACITY_EXHAUSTED,
          "relay pod at its bandwidth capacity of " + limiter.bytesPerSecond() + " bytes/s"));
    }
    long now = clock.millis();
    String id = ids.newAllocationId();
    long expires = now + settings.allocationTtl().toMillis();
    String podKey = Keys.podAllocations(pod);
    String userKey = Keys.userAllocations(owner);
    String token = ids.newJoinToken();
    long tokenExpires = now + settings.joinTokenTtl().toMillis();
    return store.reserve(podKey, id, now, expires, settings.maxAllocations(), keyTtlMs())
        .thenCompose(atPod -> {
          if (!atPod.reserved()) {
            throw RelayException.overloaded(Kind.CAPACITY_EXHAUSTED,
                "relay pod holds its maximum of " + settings.maxAllocations() + " allocations");
          }
          return store.reserve(userKey, id, now, expires, settings.maxAllocationsPerUser(), keyTtlMs());
        })
        .thenCompose(forUser -> {
          if (!forUser.reserved()) {
            Duration wait = Duration.ofMillis(Math.max(1_000, forUser.earliestExpiryMs() - now));
            return undo(store.unreserve(podKey, id), RelayException.overloaded(Kind.BUDGET_EXHAUSTED,
                "allocation quota of " + settings.maxAllocationsPerUser() + " per user used up", wait));
          }
          return store.create(id, owner, peer, pod, expires, keyTtlMs(),
              new TokenGrant(Ids.tokenHash(token), peer, tokenExpires));
        })
        .thenCompose(created -> {
          if (!created) {
            return undo(store.unreserve(podKey, id).thenCompose(v -> store.unreserve(userKey, id)),
                RelayException.of(Kind.INTERNAL, "allocation id collision"));
          }
          return CompletableFuture.completedFuture(new Allocated(id, pod, token, Instant.ofEpochMilli(tokenExpires),
              Instant.ofEpochMilli(expires)));
        })
        .exceptionally(e -> {
          throw asRelayException(e);
        });
  }

  /**
   * Admits {@code userId} to allocation {@code allocationId} here, spending {@code joinToken} (empty: none).
   *
   * <p>Refusals: {@code NOT_FOUND}, {@code JOIN_TOKEN_INVALID}, {@code NOT_A_PARTY}, {@code WRONG_POD} (naming the
   * pod that holds it), {@code DRAINING} when this pod holds it but is draining.
   */
  public CompletionStage<JoinGrant> join(String userId, String allocationId, String joinToken) {
    if (!Ids.isWellFormedId(allocationId)) {
      return failed(notFound(allocationId));
    }
    String tokenHash = joinToken.isEmpty() ? "" : Ids.tokenHash(joinToken);
    boolean draining = drain.isDraining();
    // A draining pod asks as if it were nobody: the store answers where the allocation lives without spending
    // the token, and no join is admitted here.
    return store.join(allocationId, userId, tokenHash, clock.millis(), draining ? "" : pod)
        .thenApply(o -> switch (o.status()) {
          case OK -> new JoinGrant(allocationId, o.role(), o.owner(), o.peer());
          case NOT_FOUND -> throw notFound(allocationId);
          case TOKEN_INVALID -> throw RelayException.of(Kind.JOIN_TOKEN_INVALID,
              "join_token: unknown, used, expired or issued to another user");
          case TOKEN_REQUIRED -> throw RelayException.of(Kind.JOIN_TOKEN_INVALID,
              "join_token: required for the peer's first join");
          case NOT_A_PARTY -> throw RelayException.of(Kind.NOT_A_PARTY,
              "caller is not a party to allocation " + allocationId);
          case MOVED -> {
            if (o.pod().equals(pod)) {
              throw RelayException.overloaded(Kind.DRAINING, "relay pod is draining: allocate again");
            }
            throw RelayException.wrongPod(o.pod());
          }
        })
        .exceptionally(e -> {
          throw asRelayException(e);
        });
  }

  /**
   * Frees allocation {@code allocationId} if {@code userId} is a party to it. Idempotent: an unknown or expired
   * allocation is released already. Streams on this pod end with {@code ABORTED} at once; a pod that holds them
   * elsewhere notices within its refresh interval.
   *
   * <p>Refusals: {@code NOT_A_PARTY}.
   */
  public CompletionStage<Void> release(String userId, String allocationId) {
    if (!Ids.isWellFormedId(allocationId)) {
      return CompletableFuture.completedFuture(null);
    }
    return store.release(allocationId, userId)
        .thenCompose(r -> switch (r.status()) {
          case GONE -> CompletableFuture.<Void>completedFuture(null);
          case NOT_A_PARTY -> throw RelayException.of(Kind.NOT_A_PARTY,
              "caller is not a party to allocation " + allocationId);
          case RELEASED -> {
            if (r.pod().equals(pod)) {
              Session s = sessions.get(allocationId);
              if (s != null) {
                s.end(RelayException.of(Kind.ENDED, "allocation released"));
              }
            }
            yield store.unreserve(Keys.podAllocations(r.pod()), allocationId)
                .thenCompose(v -> store.unreserve(Keys.userAllocations(r.owner()), allocationId));
          }
        })
        .exceptionally(e -> {
          throw asRelayException(e);
        });
  }

  private static RelayException notFound(String allocationId) {
    return RelayException.of(Kind.NOT_FOUND, "allocation " + allocationId + ": not found (released or expired)");
  }

  /** Runs {@code compensation} (best effort), then fails with {@code error}. */
  private static <T> CompletionStage<T> undo(CompletionStage<Void> compensation, RelayException error) {
    return compensation.handle((v, e) -> {
      throw error;
    });
  }

  /** Maps any failure of a stage to the {@link RelayException} the caller answers with. */
  RelayException asRelayException(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RelayException r) {
      return r;
    }
    return RelayException.dependencyUnavailable(cause);
  }

  private static <T> CompletionStage<T> failed(RelayException e) {
    return CompletableFuture.failedFuture(e);
  }
}
