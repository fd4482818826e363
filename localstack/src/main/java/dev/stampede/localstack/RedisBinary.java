package dev.stampede.localstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} executable that can run on this machine.
 *
 * <p>{@link #resolve()} honours, in order: the system property {@code stampede.redis.binary} or the environment
 * variable {@code STAMPEDE_REDIS_BINARY} (a path, or {@code embedded} to force the fallback), then
 * {@code redis-server} on {@code PATH}, then the binary carried inside the
 * {@code com.github.codemonstur:embedded-redis} jar (Redis 6.2), extracted once to a cache directory. Each candidate
 * is checked by running {@code --version}. Immutable and thread-safe.
 */
public final class RedisBinary {
  /** Value of {@code stampede.redis.binary} that forces the embedded binary. */
  public static final String EMBEDDED = "embedded";

  private final Path path;
  private final String version;
  private final boolean embedded;

  private RedisBinary(Path path, String version, boolean embedded) {
    this.path = path;
    this.version = version;
    this.embedded = embedded;
  }

  /**
   * The binary this machine should use (see the class comment).
   *
   * @throws IllegalStateException when no candidate can run, with what was tried and how to fix it
   */
  public static RedisBinary resolve() {
    String configured = System.getProperty("stampede.redis.binary", System.getenv("STAMPEDE_REDIS_BINARY"));
    if (configured != null && !configured.isBlank()) {
      return EMBEDDED.equals(configured.trim()) ? embedded() : at(Path.of(configured.trim()));
    }
    Optional<Path> onPath = findOnPath("redis-server");
    if (onPath.isPresent()) {
      try {
        return at(onPath.get());
      } catch (IllegalStateException e) {
        // fall through to the embedded binary
      }
    }
    try {
      return embedded();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("no runnable redis-server: none on PATH"
          + onPath.map(p -> " (" + p + " failed to run)").orElse("")
          + ", and the embedded fallback failed: " + e.getMessage()
          + ". Install one (Debian/Ubuntu: apt-get install -y redis-server) or set STAMPEDE_REDIS_BINARY to a path.", e);
    }
  }

  /**
   * The binary at {@code path}.
   *
   * @throws IllegalStateException when it does not exist or does not run
   */
  public static RedisBinary at(Path path) {
    return new RedisBinary(path, probeVersion(path), false);
  }

  /**
   * The Redis 6.2 binary inside the embedded-redis jar, extracted to {@code ~/.cache/stampede/redis}.
   *
   * @throws IllegalStateException when this platform has no embedded binary or it does not run
   */
  public static RedisBinary embedded() {
    String resource = embeddedResourceName();
    Path target = cacheDir().resolve(resource);
    if (!Files.isExecutable(target)) {
      extract(resource, target);
    }
    return new RedisBinary(target, probeVersion(target), true);
  }

  public Path path() {
    return path;
  }

  /** The server version, e.g. {@code 7.0.15}. */
  public String version() {
    return version;
  }

  /** Whether this is the fallback binary from the embedded-redis jar. */
  public boolean isEmbedded() {
    return embedded;
  }

  @Override
  public String toString() {
    return "redis-server " + version + " at " + path + (embedded ? " (embedded)" : "");
  }

  private static String embeddedResourceName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux") && x64) {
      return "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("linux") && arm64) {
      return "redis-server-6.2.7-linux-arm64";
    }
    if (os.contains("mac") && x64) {
      return "redis-server-6.2.6-v5-darwin-amd64";
    }
    if (os.contains("mac") && arm64) {
      return "redis-server-6.2.6-v5-darwin-arm64";
    }
    throw new IllegalStateException("no embedded redis-server for " + os + "/" + arch);
  }

  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("stampede").resolve("redis");
  }

  private static void extract(String resource, Path target) {
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource
            + " not on the classpath (is com.github.codemonstur:embedded-redis a dependency?)");
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), resource, ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource + " to " + target, e);
    }
  }

  private static String probeVersion(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " does not exist");
    }
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is not executable");
    }
    try {
      Process p = new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(path + " --version did not finish");
      }
      int start = out.indexOf("v=");
      if (p.exitValue() != 0 || start < 0) {
        throw new IllegalStateException(path + " --version failed: " + out.strip());
      }
      int end = out.indexOf(' ', start);
      return out.substring(start + 2, end < 0 ? out.length() : end).strip();
    } catch (IOException e) {
      throw new IllegalStateException(path + " cannot run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + path, e);
    }
  }

  private static Optional<Path> findOnPath(String name) {
    String pathEnv = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String dir : pathEnv.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
