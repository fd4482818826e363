package dev.stampede.admission.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.grpc.ErrorMapper;
import dev.stampede.testing.RedisFixture;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedRedisIT {
  @RegisterExtension
  final RedisFixture redis = RedisFixture.create();

  @Test
  void beforeRedisIsReachable_failsFastAndConnectsLaterWithoutARestart() throws Exception {
    int port = redis.port();
    redis.server().kill();
    try (SharedRedis shared = SharedRedis.builder("redis://127.0.0.1:" + port)
        .connectTimeout(Duration.ofSeconds(5)).reconnectMax(Duration.ofMillis(100)).build()) {
      long start = System.nanoTime();
      Throwable refused = null;
      try {
        shared.async();
      } catch (RuntimeException e) {
        refused = e;
      }
      long took = System.nanoTime() - start;
      assertThat(refused).isInstanceOfSatisfying(OverloadException.class,
          e -> assertThat(e.reason()).isEqualTo(RejectReason.DEPENDENCY_UNAVAILABLE));
      // Far below the 5 s connect timeout: the caller never waits for a connection.
      assertThat(took).as("no blocking connect on the caller").isLessThan(TimeUnit.SECONDS.toNanos(1));
      assertThat(shared.isConnected()).isFalse();

      redis.server().restart();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> "PONG".equals(shared.async().ping().get(1, TimeUnit.SECONDS)));
      assertThat(shared.isConnected()).isTrue();
    }
  }

  @Test
  void whileRedisIsDown_commandsFailFastAsDependencyFailures_thenRecover() throws Exception {
    try (SharedRedis shared = SharedRedis.builder(redis.uri()).reconnectMax(Duration.ofMillis(100))
        .commandTimeout(Duration.ofSeconds(5)).build()) {
      shared.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
      shared.async().set("k", "v").get(1, TimeUnit.SECONDS);

      redis.server().kill();
      await().atMost(Duration.ofSeconds(5)).until(() -> !shared.isConnected());
      long start = System.nanoTime();
      Throwable failure = null;
      try {
        shared.async().get("k").get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      long took = System.nanoTime() - start;

      assertThat(ErrorMapper.isDependencyFailure(failure)).as(String.valueOf(failure)).isTrue();
      // Far below the 5 s command timeout: refused at once, not buffered until it.
      assertThat(took).as("rejected, not buffered until the timeout").isLessThan(TimeUnit.SECONDS.toNanos(2));

      redis.server().restart();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> "PONG".equals(shared.async().ping().get(1, TimeUnit.SECONDS)));
    }
  }

  @Test
  void script_runsByShaAndSurvivesAScriptFlush() throws Exception {
    RedisScript script = RedisScript.of("echo", "return ARGV[1]");
    try (SharedRedis shared = SharedRedis.builder(redis.uri()).build()) {
      shared.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(script.<String>eval(shared.async(), ScriptOutputType.VALUE, new String[0], "hi")
          .get(2, TimeUnit.SECONDS)).isEqualTo("hi");
      redis.server().command("SCRIPT", "FLUSH");
      assertThat(script.<String>eval(shared.async(), ScriptOutputType.VALUE, new String[0], "again")
          .get(2, TimeUnit.SECONDS)).isEqualTo("again");
      assertThat(redis.server().command("SCRIPT", "EXISTS", script.sha1())).contains("1");
    }
  }

  @Test
  void badUri_isAConfigurationErrorNamingTheKey() {
    assertThatThrownBy(() -> SharedRedis.builder(" ")).hasMessageContaining("stampede.redis.uri");
    assertThatThrownBy(() -> SharedRedis.builder("http://nope").build()).hasMessageContaining("stampede.redis.uri");
  }

  @Test
  void redact_hidesPasswords() {
    assertThat(SharedRedis.redact("redis://user:secret@host:6379")).isEqualTo("redis://***@host:6379");
  }
}
