package dev.stampede.testing;

import dev.stampede.localstack.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class its own {@code redis-server} on a free loopback port, and stops it
 * afterwards. Never the machine's shared port 6379, never a mock.
 *
 * <p>Register it on a static field for one server per class, or on an instance field for one per test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisFixture redis = RedisFixture.create();          // or RedisFixture.withAppendOnly()
 *
 * @Test
 * void something() {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 *   redis.server().kill();      // fault injection: SIGKILL
 *   redis.server().restart();   // same port, same data directory
 * }
 * }</pre>
 *
 * <p>The binary comes from {@link dev.stampede.localstack.RedisBinary#resolve()}: {@code redis-server} on PATH,
 * else the embedded one ({@code -Dstampede.redis.binary=embedded} forces it).
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final boolean appendOnly;
  private RedisServer server;
  private boolean perTest;

  private RedisFixture(boolean appendOnly) {
    this.appendOnly = appendOnly;
  }

  /** A server without persistence. */
  public static RedisFixture create() {
    return new RedisFixture(false);
  }

  /** A server with AOF ({@code appendfsync everysec}): acknowledged writes survive a kill and restart. */
  public static RedisFixture withAppendOnly() {
    return new RedisFixture(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.builder().appendOnly(appendOnly).build().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      perTest = true;
      server = RedisServer.builder().appendOnly(appendOnly).build().start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  private void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The running server (kill, restart, pid, command). */
  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException("the Redis fixture is not running (register it with @RegisterExtension)");
    }
    return server;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return server().uri();
  }

  public int port() {
    return server().port();
  }

  /** Deletes every key, for tests that share one server per class. */
  public void flushAll() {
    server().command("FLUSHALL");
  }
}
