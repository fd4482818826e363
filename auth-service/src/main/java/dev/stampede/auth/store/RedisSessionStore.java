package dev.stampede.auth.store;

import static dev.stampede.auth.store.RedisAccountStore.call;

import dev.stampede.auth.domain.SessionStore;
import dev.stampede.admission.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Ticket families and revocation records in Redis ({@link RedisKeys}). Thread-safe; one round trip per call. */
public final class RedisSessionStore implements SessionStore {
  private static final RedisScript OPEN = Scripts.load("open_session");
  private static final RedisScript ROTATE = Scripts.load("rotate_ticket", "revocation_lib");
  private static final RedisScript REVOKE = Scripts.load("revoke_session", "revocation_lib");

  private final Supplier<RedisAsyncCommands<String, String>> redis;

  /**
   * @param redis the service's one shared connection's async commands; throws when there is no connection
   */
  public RedisSessionStore(Supplier<RedisAsyncCommands<String, String>> redis) {
    this.redis = redis;
  }

  @Override
  public CompletionStage<Void> open(NewSession s) {
    return call(() -> OPEN.<Long>eval(redis.get(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.family(s.userId(), s.sessionId())},
            s.deviceId(), s.ticketHash(), Long.toString(s.ticketTtlMillis()), Long.toString(s.nowMillis()))
        .thenApply(ignored -> (Void) null));
  }

  @Override
  public CompletionStage<RotationOutcome> rotate(Rotation r) {
    return call(() -> ROTATE.<String>eval(redis.get(), ScriptOutputType.VALUE,
            new String[] {RedisKeys.family(r.userId(), r.sessionId()), RedisKeys.revoked(r.userId())},
            r.deviceId(), r.presentedHash(), r.authentic() ? "1" : "0", r.nextHash(),
            Long.toString(r.ticketTtlMillis()), Long.toString(r.nowMillis()),
            Long.toString(r.revocationUntilMillis()), r.sessionId(), Long.toString(r.reuseGraceMillis()),
            r.idempotencyKey())
        .thenApply(outcome -> RotationOutcome.valueOf(outcome.toUpperCase(Locale.ROOT))));
  }

  @Override
  public CompletionStage<Void> revoke(String userId, String sessionId, long nowMillis, long recordUntilMillis) {
    return call(() -> REVOKE.<Long>eval(redis.get(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.family(userId, sessionId), RedisKeys.revoked(userId)},
            sessionId, Long.toString(nowMillis), Long.toString(recordUntilMillis))
        .thenApply(ignored -> (Void) null));
  }

  @Override
  public CompletionStage<Boolean> isRevoked(String userId, String sessionId) {
    return call(() -> redis.get().hexists(RedisKeys.revoked(userId), sessionId));
  }
}
