package dev.stampede.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarkusJarsTest {
  private final String home = System.getProperty("stampede.home");

  @TempDir
  Path dir;

  @AfterEach
  void restore() {
    if (home == null) {
      System.clearProperty("stampede.home");
    } else {
      System.setProperty("stampede.home", home);
    }
  }

  @Test
  void locate_findsTheJarUnderTheHome_orSaysHowToBuildIt() throws Exception {
    System.setProperty("stampede.home", dir.toString());
    assertThatThrownBy(() -> QuarkusJars.locate("relay-service", "the relay"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the relay is not built: relay-service")
        .hasMessageContaining("mvn -q -DskipTests -pl relay-service -am package");

    Path jar = dir.resolve("relay-service/target/quarkus-app/quarkus-run.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "");

    assertThat(QuarkusJars.locate("relay-service", "the relay")).isEqualTo(jar);
  }
}
