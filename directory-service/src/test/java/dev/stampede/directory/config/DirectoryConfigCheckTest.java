package dev.stampede.directory.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectoryConfigCheckTest {
  private static DirectoryConfig config(Map<String, String> values) {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withMapping(DirectoryConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter())
        .withSources(new PropertiesConfigSource(values, "test", 100))
        .build();
    return config.getConfigMapping(DirectoryConfig.class);
  }

  @Test
  void defaults_pass() {
    assertThatCode(() -> DirectoryBeans.check(config(Map.of()))).doesNotThrowAnyException();
  }

  @Test
  void outOfRange_namesTheKey() {
    assertThatThrownBy(() -> DirectoryBeans.check(config(Map.of("stampede.directory.lease.ttl", "0s"))))
        .hasMessageStartingWith("stampede.directory.lease.ttl: PT0S (expected: >= PT0.1S)");
    assertThatThrownBy(() -> DirectoryBeans.check(config(Map.of("stampede.directory.watch.max-users", "101"))))
        .hasMessageStartingWith("stampede.directory.watch.max-users: 101");
    assertThatThrownBy(() -> DirectoryBeans.check(config(Map.of(
        "stampede.directory.lease.max-devices-per-user", "0"))))
        .hasMessageStartingWith("stampede.directory.lease.max-devices-per-user: 0");
    assertThatThrownBy(() -> DirectoryBeans.check(config(Map.of("stampede.directory.watch.max-streams", "0"))))
        .hasMessageStartingWith("stampede.directory.watch.max-streams: 0");
  }
}
