package dev.stampede.tokens.revocation;

import java.util.concurrent.CompletionStage;

/**
 * One asynchronous revocation look-up: does the hash {@code key} hold the field {@code sessionId}? Shaped so that
 * a Lettuce async command set fits as a method reference, using the service's one shared connection:
 *
 * <pre>{@code
 * RedisAsyncCommands<String, String> redis = connection.async();
 * RevocationLookup lookup = redis::hexists;
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not block; failures complete the stage exceptionally.
 */
@FunctionalInterface
public interface RevocationLookup {
  /** Completes with {@code true} when {@code key} is a hash holding {@code sessionId}. */
  CompletionStage<Boolean> hexists(String key, String sessionId);
}
