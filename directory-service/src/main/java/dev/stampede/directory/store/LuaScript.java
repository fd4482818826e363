package dev.stampede.directory.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
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
 * One Lua script of {@code src/main/resources/lua/}, run with {@code EVALSHA} and re-sent with {@code EVAL} when
 * Redis answers {@code NOSCRIPT} (after a restart, failover or {@code SCRIPT FLUSH}); {@code EVAL} also caches it
 * again, so the next call is an {@code EVALSHA} hit. The body is {@code lua/prelude.lua} followed by the script.
 *
 * <p>Immutable and thread-safe.
 */
public final class LuaScript {
  private static final String PRELUDE = "prelude.lua";

  private final String name;
  private final byte[] body;
  private final String sha1;

  private LuaScript(String name, byte[] body) {
    this.name = name;
    this.body = body;
    this.sha1 = sha1Hex(body);
  }

  /**
   * Loads {@code lua/<name>} (with the prelude) from the class path.
   *
   * @throws UncheckedIOException if it is missing
   */
  public static LuaScript load(String name) {
    String text = resource(PRELUDE) + "\n" + resource(name);
    return new LuaScript(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs the script; completes with its reply as {@code type} decodes it. */
  public <T> CompletionStage<T> run(RedisScriptingAsyncCommands<String, byte[]> redis, ScriptOutputType type,
      String[] keys, byte[]... args) {
    CompletableFuture<T> result = new CompletableFuture<>();
    redis.<T>evalsha(sha1, type, keys, args).whenComplete((reply, error) -> {
      if (error == null) {
        result.complete(reply);
      } else if (unwrap(error) instanceof RedisNoScriptException) {
        redis.<T>eval(body, type, keys, args).whenComplete((again, error2) -> {
          if (error2 == null) {
            result.complete(again);
          } else {
            result.completeExceptionally(unwrap(error2));
          }
        });
      } else {
        result.completeExceptionally(unwrap(error));
      }
    });
    return result;
  }

  /** The file name under {@code lua/}. */
  public String name() {
    return name;
  }

  /** The SHA-1 that {@code EVALSHA} names, lowercase hex. */
  public String sha1() {
    return sha1;
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + " " + sha1 + "]";
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static String resource(String file) {
    String path = "lua/" + file;
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException(path + ": not on the class path"));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": unreadable", e);
    }
  }

  private static String sha1Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
