package dev.stampede.directory.store;

import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.LeaseId;
import dev.stampede.directory.domain.LeaseNotFoundException;
import dev.stampede.directory.domain.NatType;
import dev.stampede.directory.domain.Presence;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.VerifiedSession;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Presence leases in Redis: one hash per user, one compact value per device ({@link PresenceKeys},
 * {@link DeviceLeaseCodec}). Every operation is one round trip: a Lua script that also checks the session's
 * revocation record in the same user slot (tokens README, "inline"), so a revoked session can neither register nor
 * keep a lease alive, with no staleness and no extra round trip. Writes publish on the user's change channel so that
 * watchers on every pod hear about them.
 *
 * <p>Expired leases need no sweeper: readers ignore a lease past its expiry (Redis' clock), the key's TTL is the
 * latest expiry among its leases, and writes prune expired leases of the user they touch.
 *
 * <p>Results complete on a Lettuce thread. Failures: {@link dev.stampede.directory.domain.StoreUnavailableException}
 * when Redis cannot answer, {@link InvalidSessionTokenException} (reason {@code REVOKED}) for a revoked session,
 * {@link LeaseNotFoundException} for a lease that expired or was replaced. Thread-safe.
 */
public final class PresenceStore {
  /** What Register hands back. */
  public record Registration(LeaseId leaseId, long expiresAtMillis) {
  }

  /** A user's presence with the Redis time it was read at (for scheduling the next expiry). */
  public record Snapshot(Presence presence, long readAtMillis) {
  }

  private static final LuaScript REGISTER = LuaScript.load("register.lua");
  private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat.lua");
  private static final LuaScript UNREGISTER = LuaScript.load("unregister.lua");
  private static final LuaScript READ = LuaScript.load("read.lua");
  private static final long REVOKED = -1;

  private final Supplier<RedisAsyncCommands<String, byte[]>> redis;
  private final byte[] ttlMillis;
  private final byte[] maxDevices;

  /**
   * @param redis the shared commands (may throw {@code StoreUnavailableException} while not connected)
   * @param ttl how long a lease lives without a heartbeat
   * @param maxDevicesPerUser how many devices one user may have present; a new one beyond that evicts the device
   *     whose lease expires first
   */
  public PresenceStore(Supplier<RedisAsyncCommands<String, byte[]>> redis, Duration ttl, int maxDevicesPerUser) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: ≥ 1 ms)");
    }
    if (maxDevicesPerUser < 1) {
      throw new IllegalArgumentException("maxDevicesPerUser: " + maxDevicesPerUser + " (expected: ≥ 1)");
    }
    this.redis = redis;
    this.ttlMillis = ascii(ttl.toMillis());
    this.maxDevices = ascii(maxDevicesPerUser);
  }

  /** Publishes the presence of the session's device, replacing its earlier lease. */
  public CompletionStage<Registration> register(VerifiedSession session, List<Endpoint> endpoints, NatType nat) {
    long nonce = ThreadLocalRandom.current().nextLong();
    byte[] lease = DeviceLeaseCodec.encode(new DeviceLease(session.deviceId(), nonce, 0, nat, endpoints));
    return this.<List<Object>>run(REGISTER, keys(session.userId()),
        ascii(session.deviceId()), ascii(session.sessionId()), lease, ttlMillis, maxDevices,
        ascii(PresenceKeys.channel(session.userId())))
        .thenApply(reply -> {
          checkRevoked(reply);
          return new Registration(LeaseId.issue(session.userId(), session.deviceId(), nonce), number(reply, 2));
        });
  }

  /** Extends the lease; completes with its new expiry (epoch ms). */
  public CompletionStage<Long> heartbeat(VerifiedSession session, LeaseId lease) {
    return this.<List<Object>>run(HEARTBEAT, keys(session.userId()),
        ascii(session.deviceId()), ascii(session.sessionId()), DeviceLeaseCodec.nonceBytes(lease.nonce()), ttlMillis,
        ascii(PresenceKeys.channel(session.userId())))
        .thenApply(reply -> {
          checkRevoked(reply);
          if (number(reply, 0) == 0) {
            throw new LeaseNotFoundException();
          }
          return number(reply, 2);
        });
  }

  /** Withdraws the lease if it is still current; completes normally either way (idempotent). */
  public CompletionStage<Boolean> unregister(VerifiedSession session, LeaseId lease) {
    return this.<List<Object>>run(UNREGISTER, keys(session.userId()),
        ascii(session.deviceId()), ascii(session.sessionId()), DeviceLeaseCodec.nonceBytes(lease.nonce()),
        ascii(PresenceKeys.channel(session.userId())))
        .thenApply(reply -> {
          checkRevoked(reply);
          return number(reply, 0) == 1;
        });
  }

  /** Reads a user's live leases. */
  public CompletionStage<Snapshot> read(String userId) {
    return this.<List<Object>>run(READ, new String[] {PresenceKeys.presence(userId)}).thenApply(reply -> {
      long now = number(reply, 0);
      List<DeviceLease> leases = new ArrayList<>((reply.size() - 1) / 2);
      for (int i = 1; i + 1 < reply.size(); i += 2) {
        String deviceId = new String((byte[]) reply.get(i), StandardCharsets.US_ASCII);
        leases.add(DeviceLeaseCodec.decode(deviceId, (byte[]) reply.get(i + 1)));
      }
      return new Snapshot(Presence.of(userId, leases, now), now);
    });
  }

  /** {@code HEXISTS} on the user's revocation hash, for the cached check of Lookup and Watch. */
  public CompletionStage<Boolean> hexists(String key, String field) {
    try {
      return redis.get().hexists(key, field).handle((exists, error) -> {
        if (error != null) {
          throw wrap(RedisFailures.translate(error));
        }
        return exists;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RedisFailures.translate(e));
    }
  }

  private <T> CompletionStage<T> run(LuaScript script, String[] keys, byte[]... args) {
    CompletionStage<T> reply;
    try {
      reply = script.run(redis.get(), ScriptOutputType.MULTI, keys, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RedisFailures.translate(e));
    }
    return reply.handle((value, error) -> {
      if (error != null) {
        throw wrap(RedisFailures.translate(error));
      }
      return value;
    });
  }

  private static String[] keys(String userId) {
    return new String[] {PresenceKeys.presence(userId), PresenceKeys.revoked(userId)};
  }

  private static void checkRevoked(List<Object> reply) {
    if (number(reply, 0) == REVOKED) {
      throw wrap(new InvalidSessionTokenException(InvalidSessionTokenException.Reason.REVOKED));
    }
  }

  private static long number(List<Object> reply, int index) {
    return ((Number) reply.get(index)).longValue();
  }

  private static RuntimeException wrap(Throwable t) {
    return t instanceof RuntimeException ? (RuntimeException) t : new java.util.concurrent.CompletionException(t);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}
