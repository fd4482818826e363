package dev.stampede.relay.store;

import dev.stampede.relay.domain.Role;
import dev.stampede.admission.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Allocations, join tokens, per-pod and per-user sets in Redis ({@link Keys}). Every operation is one script or
 * one command on one slot, asynchronous, on the shared connection. Stages fail with the connection's error (or the
 * {@code OverloadException} of {@code SharedRedis} while there is none); they never block.
 *
 * <p>Thread-safe.
 */
public final class AllocationStore {
  private static final RedisScript RESERVE = script("reserve");
  private static final RedisScript CREATE = script("create");
  private static final RedisScript JOIN = script("join");
  private static final RedisScript TOUCH = script("touch");
  private static final RedisScript MOVE = script("move");
  private static final RedisScript RELEASE = script("release");

  private final Supplier<RedisAsyncCommands<String, String>> redis;

  /** @param redis the shared async commands ({@code SharedRedis::async}); may throw while Redis is unreachable */
  public AllocationStore(Supplier<RedisAsyncCommands<String, String>> redis) {
    this.redis = redis;
  }

  /** Outcome of {@link #reserve}. {@code earliestExpiryMs} is set when full: when the oldest member expires. */
  public record Reservation(boolean reserved, long count, long earliestExpiryMs) {
  }

  /** What {@link #join} decided. */
  public enum JoinStatus { OK, NOT_FOUND, TOKEN_INVALID, TOKEN_REQUIRED, NOT_A_PARTY, MOVED }

  /** Outcome of {@link #join}: for {@code OK} the role and parties; for {@code MOVED} the pod that holds it. */
  public record JoinOutcome(JoinStatus status, Role role, String owner, String peer, long expiresMs, String pod) {
  }

  /** What {@link #touch} and {@link #move} found. */
  public enum Presence { HELD, GONE, ELSEWHERE }

  /** Outcome of {@link #touch} / {@link #move}: the owner when held, the holding pod when elsewhere. */
  public record Touch(Presence presence, String owner, String pod) {
  }

  /** What {@link #release} decided. */
  public enum ReleaseStatus { RELEASED, GONE, NOT_A_PARTY }

  /** Outcome of {@link #release}: owner and holding pod of a released allocation. */
  public record Released(ReleaseStatus status, String owner, String pod) {
  }

  /** A join token to record: its hash, the one user it admits, and when it expires. */
  public record TokenGrant(String tokenHash, String userId, long expiresMs) {
  }

  /**
   * Reserves {@code member} in the bounded set {@code key} (a pod's allocations, a user's quota) until
   * {@code expiresMs}, unless the set already holds {@code max} live members.
   */
  public CompletionStage<Reservation> reserve(String key, String member, long nowMs, long expiresMs, int max,
      long keyTtlMs) {
    return call(r -> RESERVE.<List<Object>>eval(r, ScriptOutputType.MULTI, new String[] {key},
        Long.toString(nowMs), member, Long.toString(expiresMs), Integer.toString(max), Long.toString(keyTtlMs)))
        .thenApply(l -> asLong(l.get(0)) == 1
            ? new Reservation(true, asLong(l.get(1)), 0)
            : new Reservation(false, asLong(l.get(1)), asLong(l.get(2))));
  }

  /** Removes {@code member} from the set {@code key}; completes when done. */
  public CompletionStage<Void> unreserve(String key, String member) {
    return call(r -> r.zrem(key, member)).thenApply(n -> null);
  }

  /**
   * Moves {@code member}'s expiry in the set {@code key} if it is still there ({@code ZADD XX}) and keeps the set
   * itself alive for {@code keyTtlMs}.
   */
  public CompletionStage<Void> extend(String key, String member, long expiresMs, long keyTtlMs) {
    return call(r -> {
      RedisFuture<Long> added = r.zadd(key, ZAddArgs.Builder.xx(), (double) expiresMs, member);
      return r.pexpire(key, keyTtlMs).thenCombine(added, (a, b) -> null);
    });
  }

  /** The ids of the allocations pod {@code pod} holds that have not expired by {@code nowMs}. */
  public CompletionStage<List<String>> podAllocations(String pod, long nowMs) {
    return call(r -> r.zrangebyscore(Keys.podAllocations(pod), after(nowMs)));
  }

  /** How many unexpired allocations pod {@code pod} holds. */
  public CompletionStage<Long> podLoad(String pod, long nowMs) {
    return call(r -> r.zcount(Keys.podAllocations(pod), after(nowMs)));
  }

  /**
   * Records a new allocation on {@code pod} and its peer's join token.
   *
   * @return completes with false if the id is taken
   */
  public CompletionStage<Boolean> create(String allocationId, String owner, String peer, String pod, long expiresMs,
      long keyTtlMs, TokenGrant peerToken) {
    return call(r -> CREATE.<Long>eval(r, ScriptOutputType.INTEGER, allocKeys(allocationId), owner, peer, pod,
        Long.toString(expiresMs), Long.toString(keyTtlMs), peerToken.tokenHash(),
        Long.toString(peerToken.expiresMs())))
        .thenApply(n -> n == 1);
  }

  /**
   * Admits {@code userId} to allocation {@code allocationId} on pod {@code pod}, spending {@code tokenHash} (empty:
   * none) if the join is admitted.
   */
  public CompletionStage<JoinOutcome> join(String allocationId, String userId, String tokenHash, long nowMs,
      String pod) {
    return call(r -> JOIN.<List<Object>>eval(r, ScriptOutputType.MULTI, allocKeys(allocationId), userId, tokenHash,
        Long.toString(nowMs), pod))
        .thenApply(l -> {
          JoinStatus status = JoinStatus.valueOf((String) l.get(0));
          return switch (status) {
            case OK -> new JoinOutcome(status, "owner".equals(l.get(1)) ? Role.OWNER : Role.PEER, (String) l.get(2),
                (String) l.get(3), Long.parseLong((String) l.get(4)), pod);
            case MOVED -> new JoinOutcome(status, null, null, null, 0, (String) l.get(1));
            default -> new JoinOutcome(status, null, null, null, 0, null);
          };
        });
  }

  /** Extends allocation {@code allocationId} to {@code newExpiresMs} if pod {@code pod} still holds it. */
  public CompletionStage<Touch> touch(String allocationId, String pod, long nowMs, long newExpiresMs,
      long keyTtlMs) {
    return call(r -> TOUCH.<List<Object>>eval(r, ScriptOutputType.MULTI, allocKeys(allocationId), pod,
        Long.toString(nowMs), Long.toString(newExpiresMs), Long.toString(keyTtlMs)))
        .thenApply(AllocationStore::presence);
  }

  /**
   * Re-homes allocation {@code allocationId} from pod {@code from} to pod {@code to} (which must already have
   * reserved it) and records rejoin tokens.
   */
  public CompletionStage<Touch> move(String allocationId, String from, String to, long nowMs, long newExpiresMs,
      long keyTtlMs, List<TokenGrant> rejoinTokens) {
    List<String> args = new ArrayList<>(5 + 3 * rejoinTokens.size());
    args.add(from);
    args.add(to);
    args.add(Long.toString(nowMs));
    args.add(Long.toString(newExpiresMs));
    args.add(Long.toString(keyTtlMs));
    for (TokenGrant t : rejoinTokens) {
      args.add(t.tokenHash());
      args.add(t.userId());
      args.add(Long.toString(t.expiresMs()));
    }
    return call(r -> MOVE.<List<Object>>eval(r, ScriptOutputType.MULTI, allocKeys(allocationId),
        args.toArray(String[]::new)))
        .thenApply(AllocationStore::presence);
  }

  /** Deletes allocation {@code allocationId} if {@code userId} is a party to it ({@code ""}: unconditionally). */
  public CompletionStage<Released> release(String allocationId, String userId) {
    return call(r -> RELEASE.<List<Object>>eval(r, ScriptOutputType.MULTI, allocKeys(allocationId), userId))
        .thenApply(l -> switch ((String) l.get(0)) {
          case "OK" -> new Released(ReleaseStatus.RELEASED, (String) l.get(1), (String) l.get(2));
          case "GONE" -> new Released(ReleaseStatus.GONE, null, null);
          default -> new Released(ReleaseStatus.NOT_A_PARTY, null, null);
        });
  }

  private static Touch presence(List<Object> l) {
    long code = asLong(l.get(0));
    if (code == 1) {
      return new Touch(Presence.HELD, (String) l.get(1), null);
    }
    return code == 0 ? new Touch(Presence.GONE, null, null) : new Touch(Presence.ELSEWHERE, null, (String) l.get(1));
  }

  private static String[] allocKeys(String allocationId) {
    return new String[] {Keys.allocation(allocationId), Keys.joinTokens(allocationId)};
  }

  private static RedisScript script(String name) {
    return RedisScript.fromResource(AllocationStore.class, "lua/" + name + ".lua");
  }

  private static long asLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(o.toString());
  }

  private <T> CompletionStage<T> call(java.util.function.Function<RedisAsyncCommands<String, String>,
      CompletionStage<T>> command) {
    try {
      return command.apply(redis.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Scores strictly after {@code nowMs}: members that have not expired yet. */
  static Range<Long> after(long nowMs) {
    return Range.from(Range.Boundary.excluding(nowMs), Range.Boundary.unbounded());
  }
}
