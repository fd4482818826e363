package dev.stampede.chaos.restart.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSpecTest {
  @TempDir
  Path home;

  @Test
  void standardAuth_runsTheParallelCollector_andTheOthersTheJvmDefault() throws IOException {
    for (String service : ServiceSpec.STANDARD) {
      Path dir = Files.createDirectories(home.resolve(service + "-service/target/quarkus-app"));
      Files.createFile(dir.resolve("quarkus-run.jar"));
    }

    assertThat(ServiceSpec.standard(home, "auth").orElseThrow().jvmArgs()).containsExactly("-XX:+UseParallelGC");
    assertThat(ServiceSpec.standard(home, "directory").orElseThrow().jvmArgs()).isEmpty();
    assertThat(ServiceSpec.standard(home, "relay").orElseThrow().jvmArgs()).isEmpty();
  }

  @Test
  void standard_isEmptyWhenTheJarIsNotBuilt() {
    assertThat(ServiceSpec.standard(home, "auth")).isEmpty();
  }
}
