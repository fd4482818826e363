package dev.stampede.auth.store;

import static dev.stampede.auth.store.RedisAccountStore.call;

import dev.stampede.auth.domain.SessionStore;
import io.lettuce.core.ScriptOutputType;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/** Ticket families and revocation records in Redis ({@link RedisKeys}). Thread-safe; one round trip per call. */
public final class RedisSessionStore implements SessionStore {
  private static final LuaScript OPEN = LuaScript.load("open_session");
  private static final LuaScript ROTATE = LuaScript.load("rotate_ticket", "revocation_lib");
  private static final LuaScript REVOKE = LuaScript.load("revoke_session", "revocation_lib");

  private final RedisConnector redis;

  public RedisSessionStore(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public CompletionStage<Void> open(NewSession s) {
    return call(() -> OPEN.<Long>run(redis.commands(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.family(s.userId(), s.sessionId())},
            s.deviceId(), s.ticketHash(), Long.toString(s.ticketTtlMillis()), Long.toString(s.nowMillis()))
        .thenApply(ignored -> (Void) null));
  }

  @Override
  public CompletionStage<RotationOutcome> rotate(Rotation r) {
    return call(() -> ROTATE.<String>run(redis.commands(), ScriptOutputType.VALUE,
            new String[] {RedisKeys.family(r.userId(), r.sessionId()), RedisKeys.revoked(r.userId())},
            r.deviceId(), r.presentedHash(), r.authentic() ? "1" : "0", r.nextHash(),
            Long.toString(r.ticketTtlMillis()), Long.toString(r.nowMillis()),
            Long.toString(r.revocationUntilMillis()), r.sessionId())
        .thenApply(outcome -> RotationOutcome.valueOf(outcome.toUpperCase(Locale.ROOT))));
  }

  @Override
  public CompletionStage<Void> revoke(String userId, String sessionId, long nowMillis, long recordUntilMillis) {
    return call(() -> REVOKE.<Long>run(redis.commands(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.family(userId, sessionId), RedisKeys.revoked(userId)},
            sessionId, Long.toString(nowMillis), Long.toString(recordUntilMillis))
        .thenApply(ignored -> (Void) null));
  }

  @Override
  public CompletionStage<Boolean> isRevoked(String userId, String sessionId) {
    return call(() -> redis.commands().hexists(RedisKeys.revoked(userId), sessionId));
  }
}
