package dev.stampede.directory.store;

import dev.stampede.admission.redis.RedisScript;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script of {@code src/main/resources/lua/}, run with {@code EVALSHA} and re-sent with {@code EVAL} when
 * Redis answers {@code NOSCRIPT} (after a restart, failover or {@code SCRIPT FLUSH}); {@code EVAL} also caches it
 * again, so the next call is an {@code EVALSHA} hit. The body is {@code lua/prelude.lua} followed by the script.
 *
 * <p>The script itself is the admission library's {@link RedisScript} (source and SHA-1); this class only adds what
 * it lacks, running with binary arguments (leases are bytes).
 *
 * <p>Immutable and thread-safe.
 */
public final class LuaScript {
  private static final String PRELUDE = "prelude.lua";

  private final RedisScript script;
  private final byte[] body;

  private LuaScript(RedisScript script) {
    this.script = script;
    this.body = script.source().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Loads {@code lua/<name>} (with the prelude) from the class path.
   *
   * @throws UncheckedIOException if it is missing
   */
  public static LuaScript load(String name) {
    return new LuaScript(RedisScript.of(name, resource(PRELUDE) + "\n" + resource(name)));
  }

  /** Runs the script; completes with its reply as {@code type} decodes it. */
  public <T> CompletionStage<T> run(RedisScriptingAsyncCommands<String, byte[]> redis, ScriptOutputType type,
      String[] keys, byte[]... args) {
    CompletableFuture<T> result = new CompletableFuture<>();
    redis.<T>evalsha(script.sha1(), type, keys, args).whenComplete((reply, error) -> {
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
    return script.name();
  }

  /** The SHA-1 that {@code EVALSHA} names, lowercase hex. */
  public String sha1() {
    return script.sha1();
  }

  @Override
  public String toString() {
    return "LuaScript[" + script.name() + " " + script.sha1() + "]";
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
}
