package dev.stampede.auth.store;

import dev.stampede.auth.domain.AccountStore;
import dev.stampede.admission.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Accounts in Redis ({@link RedisKeys}). Thread-safe; every call is one round trip (seeding: pipelined windows). */
public final class RedisAccountStore implements AccountStore {
  /** Seeding keeps at most this many commands in flight, well inside the connection's request queue. */
  static final int SEED_WINDOW = 256;

  private static final RedisScript CREATE = Scripts.load("create_account");
  private static final RedisScript REPLACE_HASH = Scripts.load("replace_password_hash");

  private final Supplier<RedisAsyncCommands<String, String>> redis;

  /**
   * @param redis the service's one shared connection's async commands; throws when there is no connection
   */
  public RedisAccountStore(Supplier<RedisAsyncCommands<String, String>> redis) {
    this.redis = redis;
  }

  @Override
  public CompletionStage<Boolean> exists(String userId) {
    return call(() -> redis.get().exists(RedisKeys.account(userId)).thenApply(n -> n == 1));
  }

  @Override
  public CompletionStage<Boolean> create(NewAccount account, String passwordHash, long nowMillis) {
    return call(() -> CREATE.<Long>eval(redis.get(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.account(account.userId())}, account.name(), passwordHash,
            Long.toString(nowMillis))
        .thenApply(created -> created == 1));
  }

  @Override
  public CompletionStage<List<Boolean>> createAll(List<NewAccount> accounts, String passwordHash, long nowMillis) {
    Boolean[] flags = new Boolean[accounts.size()];
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < accounts.size(); from += SEED_WINDOW) {
      int start = from;
      int end = Math.min(from + SEED_WINDOW, accounts.size());
      chain = chain.thenCompose(ignored -> {
        List<CompletableFuture<Boolean>> window = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
          int index = i;
          window.add(create(accounts.get(i), passwordHash, nowMillis).toCompletableFuture()
              .thenApply(created -> flags[index] = created));
        }
        return CompletableFuture.allOf(window.toArray(CompletableFuture[]::new));
      });
    }
    return chain.thenApply(ignored -> Collections.unmodifiableList(java.util.Arrays.asList(flags)));
  }

  @Override
  public CompletionStage<String> passwordHash(String userId) {
    return call(() -> redis.get().hget(RedisKeys.account(userId), "phc"));
  }

  @Override
  public CompletionStage<Boolean> replacePasswordHash(String userId, String expected, String replacement) {
    return call(() -> REPLACE_HASH.<Long>eval(redis.get(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.account(userId)}, expected, replacement)
        .thenApply(replaced -> replaced == 1));
  }

  /** Runs a command, turning both synchronous and asynchronous client failures into domain failures. */
  static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> command) {
    try {
      return RedisFailures.translated(command.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RedisFailures.translate(e));
    }
  }
}
