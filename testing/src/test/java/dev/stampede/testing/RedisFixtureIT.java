package dev.stampede.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisFixtureIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.withAppendOnly();

  @RegisterExtension
  final RedisFixture perTest = RedisFixture.create();

  static long classServerPid;

  @Test
  @Order(1)
  void classFixture_andPerTestFixture_areDifferentServers() {
    classServerPid = redis.server().pid();

    assertThat(redis.port()).isNotEqualTo(perTest.port());
    assertThat(redis.uri()).startsWith("redis://127.0.0.1:");
    assertThat(redis.port()).isNotEqualTo(6379);
    redis.server().command("SET", "kept", "yes");
  }

  @Test
  @Order(2)
  void classFixture_survivesBetweenTestsAndAcrossKill() {
    assertThat(redis.server().pid()).isEqualTo(classServerPid);

    redis.server().kill();
    redis.server().restart();

    assertThat(redis.server().command("GET", "kept")).isEqualTo("yes");
    redis.flushAll();
    assertThat(redis.server().command("DBSIZE")).isEqualTo("0");
  }

  @Test
  @Order(3)
  void quarkusTestResource_startsAServerAndHandsOutItsUri() {
    RedisTestResource resource = new RedisTestResource();
    resource.init(Map.of("appendOnly", "true"));
    Map<String, String> config = resource.start();
    try {
      assertThat(config).containsOnlyKeys(RedisTestResource.REDIS_URI_KEY);
      assertThat(config.get(RedisTestResource.REDIS_URI_KEY)).startsWith("redis://127.0.0.1:");
    } finally {
      resource.stop();
    }
  }

  @Test
  @Order(4)
  void afterAll_stopsTheServerItStarted() {
    RedisFixture fixture = RedisFixture.create();
    fixture.beforeAll(null);
    long pid = fixture.server().pid();

    fixture.afterAll(null);

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }
}
