package dev.stampede.admission.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run with {@code EVALSHA} (DESIGN §4): the SHA-1 is computed locally, so the first call needs no
 * {@code SCRIPT LOAD}; when Redis answers {@code NOSCRIPT} (a restarted or flushed server), the script is sent once
 * with {@code EVAL}, which caches it again, and later calls go back to {@code EVALSHA}. Scripts live under
 * {@code src/main/resources/lua/}. Immutable and thread-safe.
 */
public final class RedisScript {
  private final String name;
  private final String source;
  private final String sha1;

  private RedisScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  /**
   * Loads {@code resource} (e.g. {@code "lua/gcra.lua"}) from {@code anchor}'s class loader.
   *
   * @throws IllegalArgumentException if there is no such resource
   */
  public static RedisScript fromResource(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("script: " + resource + " (expected: a class path resource)");
      }
      return new RedisScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** A script from source text (tests). */
  public static RedisScript of(String name, String source) {
    return new RedisScript(Objects.requireNonNull(name, "name"), Objects.requireNonNull(source, "source"));
  }

  /**
   * Runs the script: {@code EVALSHA}, and on {@code NOSCRIPT} once more with {@code EVAL}.
   *
   * @return the reply, or a stage failed with Lettuce's exception (e.g. not connected, timeout, script error)
   */
  public <T> CompletableFuture<T> eval(RedisAsyncCommands<String, String> commands, ScriptOutputType type,
      String[] keys, String... args) {
    return commands.<T>evalsha(sha1, type, keys, args).toCompletableFuture()
        .exceptionallyCompose(e -> {
          if (isNoScript(e)) {
            return commands.<T>eval(source, type, keys, args).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  public String name() {
    return name;
  }

  public String sha1() {
    return sha1;
  }

  public String source() {
    return source;
  }

  static boolean isNoScript(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return e instanceof RedisNoScriptException
        || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "RedisScript[" + name + " " + sha1 + "]";
  }
}
