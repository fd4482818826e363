package dev.stampede.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerIT {

  @Test
  void twoServers_runAtOnceOnDifferentPorts() {
    try (RedisServer a = RedisServer.builder().build().start();
         RedisServer b = RedisServer.builder().build().start()) {
      assertThat(a.port()).isNotEqualTo(b.port());
      a.command("SET", "k", "a");
      b.command("SET", "k", "b");

      assertThat(a.command("GET", "k")).isEqualTo("a");
      assertThat(b.command("GET", "k")).isEqualTo("b");
      assertThat(a.uri()).isEqualTo("redis://127.0.0.1:" + a.port());
    }
  }

  @Test
  void appendOnlyServer_keepsKeyAcrossKillAndRestart() {
    try (RedisServer redis = RedisServer.builder().appendOnly(true).build().start()) {
      int port = redis.port();
      long firstPid = redis.pid();
      redis.command("SET", "account", "alice");

      redis.kill();
      assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
      redis.restart();

      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.pid()).isNotEqualTo(firstPid);
      assertThat(redis.command("GET", "account")).isEqualTo("alice");
    }
  }

  @Test
  void serverWithoutPersistence_losesKeyAcrossKillAndRestart() {
    try (RedisServer redis = RedisServer.builder().build().start()) {
      redis.command("SET", "account", "alice");

      redis.kill();
      redis.restart();

      assertThat(redis.command("GET", "account")).isNull();
    }
  }

  @Test
  void close_leavesNoProcessBehind() {
    RedisServer redis = RedisServer.builder().build().start();
    long pid = redis.pid();
    assertThat(ProcessHandle.of(pid)).isPresent();

    redis.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(redis.dataDir()).doesNotExist();
  }

  @Test
  void embeddedBinary_forcedByConfiguration_runsRedis62() {
    String previous = System.getProperty("stampede.redis.binary");
    System.setProperty("stampede.redis.binary", RedisBinary.EMBEDDED);
    try (RedisServer redis = RedisServer.builder().build().start()) {
      assertThat(redis.binary().isEmbedded()).isTrue();
      assertThat(redis.binary().version()).startsWith("6.2");
      assertThat(redis.command("INFO", "server")).contains("redis_version:6.2");
    } finally {
      if (previous == null) {
        System.clearProperty("stampede.redis.binary");
      } else {
        System.setProperty("stampede.redis.binary", previous);
      }
    }
  }

  @Test
  void binaryThatCannotRun_failsWithAClearMessage(@TempDir Path dir) throws IOException {
    Path notRedis = Files.writeString(dir.resolve("redis-server"), "#!/bin/sh\nexit 3\n");
    Files.setPosixFilePermissions(notRedis, PosixFilePermissions.fromString("rwx------"));
    Path notExecutable = Files.writeString(dir.resolve("plain-file"), "x");

    assertThatThrownBy(() -> RedisBinary.at(notRedis)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(notRedis.toString()).hasMessageContaining("--version failed");
    assertThatThrownBy(() -> RedisBinary.at(notExecutable)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not executable");
    assertThatThrownBy(() -> RedisBinary.at(dir.resolve("missing"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void takenPort_failsWithTheServerLog() {
    try (RedisServer first = RedisServer.builder().build().start()) {
      RedisServer second = RedisServer.builder().port(first.port()).build();

      assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited at start");
      second.close();
    }
  }
}
