package dev.stampede.auth.store;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script from {@code src/main/resources/lua/}, run with {@code EVALSHA} and re-sent with {@code EVAL} (which
 * also caches it) when Redis answers {@code NOSCRIPT} — after a restart, a failover or {@code SCRIPT FLUSH}.
 * Immutable and thread-safe.
 */
final class LuaScript {
  private final String name;
  private final String body;
  private final String sha;

  private LuaScript(String name, String body) {
    this.name = name;
    this.body = body;
    this.sha = sha1(body);
  }

  /**
   * Loads {@code lua/<name>.lua}, preceded by the given library files ({@code lua/<lib>.lua}).
   *
   * @throws UncheckedIOException if a file is missing
   */
  static LuaScript load(String name, String... libraries) {
    StringBuilder body = new StringBuilder();
    for (String lib : libraries) {
      body.append(read(lib)).append('\n');
    }
    body.append(read(name));
    return new LuaScript(name, body.toString());
  }

  /** Runs the script; the stage fails with the client's exception (translate it with {@link RedisFailures}). */
  <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
      String... args) {
    CompletionStage<T> first = redis.evalsha(sha, type, keys, args);
    return first.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof RedisNoScriptException) {
        CompletionStage<T> again = redis.eval(body, type, keys, args);
        return again;
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  String name() {
    return name;
  }

  String sha() {
    return sha;
  }

  private static String read(String name) {
    String path = "/lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + path));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private static String sha1(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
