package dev.stampede.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
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

  @Test
  void applicationProperties_readsThePackagedConfigurationOfAFastJar() throws Exception {
    Path app = dir.resolve("quarkus-app");
    Files.createDirectories(app.resolve("app"));
    Path runJar = app.resolve("quarkus-run.jar");
    Files.writeString(runJar, "");
    assertThatThrownBy(() -> QuarkusJars.applicationProperties(runJar))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no application.properties in " + app.resolve("app"));

    try (OutputStream out = Files.newOutputStream(app.resolve("app/directory-service-1.jar"));
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new ZipEntry("application.properties"));
      jar.write("stampede.admission.limit.min=32\nquarkus.http.port=8080\n".getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }

    Properties properties = QuarkusJars.applicationProperties(runJar);

    assertThat(properties.getProperty("stampede.admission.limit.min")).isEqualTo("32");
    assertThat(properties.getProperty("quarkus.http.port")).isEqualTo("8080");
  }

  @Test
  void asEnvironment_namesEachPropertyUnderThePrefixAsQuarkusReadsItFromTheEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("stampede.admission.limit.min", "32");
    properties.setProperty("stampede.admission.limit.vegas-probe-multiplier", "0");
    properties.setProperty("stampede.admission.queue.max-time", "100ms");

    assertThat(QuarkusJars.asEnvironment(properties, "stampede.admission.limit.")).isEqualTo(Map.of(
        "STAMPEDE_ADMISSION_LIMIT_MIN", "32",
        "STAMPEDE_ADMISSION_LIMIT_VEGAS_PROBE_MULTIPLIER", "0"));
  }
}
