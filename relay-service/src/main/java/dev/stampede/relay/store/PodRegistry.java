package dev.stampede.relay.store;

import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How relay pods find each other: each pod that accepts allocations keeps a lease in {@link Keys#PODS} (member = its
 * advertised {@code host:port}, score = lease expiry in epoch ms) by heartbeating; a draining pod leaves at once, a
 * crashed one drops out when its lease runs out. Thread-safe; stages fail with the connection's error.
 */
public final class PodRegistry {
  private final Supplier<RedisAsyncCommands<String, String>> redis;

  public PodRegistry(Supplier<RedisAsyncCommands<String, String>> redis) {
    this.redis = redis;
  }

  /** Renews {@code pod}'s lease until {@code leaseExpiresMs} and prunes leases that ran out before {@code nowMs}. */
  public CompletionStage<Void> heartbeat(String pod, long nowMs, long leaseExpiresMs) {
    try {
      RedisAsyncCommands<String, String> r = redis.get();
      r.zremrangebyscore(Keys.PODS, Range.from(Range.Boundary.unbounded(), Range.Boundary.including(nowMs)));
      return r.zadd(Keys.PODS, (double) leaseExpiresMs, pod).thenApply(n -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Removes {@code pod} from the registry (it stops accepting moved allocations). */
  public CompletionStage<Void> leave(String pod) {
    try {
      return redis.get().zrem(Keys.PODS, pod).thenApply(n -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Pods whose lease is still running at {@code nowMs}. */
  public CompletionStage<List<String>> livePods(long nowMs) {
    try {
      return redis.get().zrangebyscore(Keys.PODS, AllocationStore.after(nowMs));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
