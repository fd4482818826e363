package dev.stampede.testing;

import dev.stampede.localstack.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a private {@code redis-server} for a {@code @QuarkusTest} class and points the application at it through
 * {@code stampede.redis.uri}. Restrict it to the annotated class so that each class gets its own server:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(RedisTestResource.class)                  // restricted to this class by default
 * class LoginIT {
 *   @InjectRedis RedisServer redis;                          // optional: for kill() / restart()
 * }
 * }</pre>
 *
 * <p>Init argument {@code appendOnly=true} (via {@code initArgs}) turns AOF on.
 */
public final class RedisTestResource implements QuarkusTestResourceLifecycleManager {
  /** The configuration key every Stampede service reads its Redis URI from. */
  public static final String REDIS_URI_KEY = "stampede.redis.uri";

  private boolean appendOnly;
  private RedisServer server;

  @Override
  public void init(Map<String, String> initArgs) {
    appendOnly = Boolean.parseBoolean(initArgs.getOrDefault("appendOnly", "false"));
  }

  @Override
  public Map<String, String> start() {
    server = RedisServer.builder().appendOnly(appendOnly).build().start();
    return Map.of(REDIS_URI_KEY, server.uri());
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(server,
        new TestInjector.AnnotatedAndMatchesType(InjectRedis.class, RedisServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
