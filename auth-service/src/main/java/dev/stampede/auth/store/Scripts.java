package dev.stampede.auth.store;

import dev.stampede.admission.redis.RedisScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads auth's Lua scripts from {@code src/main/resources/lua/}, with shared library files prepended. */
final class Scripts {
  private Scripts() {
  }

  /**
   * {@code lua/<name>.lua}, preceded by {@code lua/<lib>.lua} for each library, as one script run with
   * {@code EVALSHA} (reloaded on {@code NOSCRIPT}).
   *
   * @throws UncheckedIOException if a file is missing
   */
  static RedisScript load(String name, String... libraries) {
    StringBuilder source = new StringBuilder();
    for (String lib : libraries) {
      source.append(read(lib)).append('\n');
    }
    return RedisScript.of("lua/" + name + ".lua", source.append(read(name)).toString());
  }

  private static String read(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = Scripts.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + path));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
