package dev.stampede.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** Finds the runnable jar of a Quarkus module of this checkout for the benchmarks that start it as a process. */
public final class QuarkusJars {
  private QuarkusJars() {
  }

  /**
   * {@code <module>/target/quarkus-app/quarkus-run.jar} under {@code -Dstampede.home} (set by the {@code ./stampede}
   * launcher), else under the working directory or its parent.
   *
   * @param module the Maven module, e.g. {@code auth-service}
   * @param what how the error names it, e.g. "the anchor"
   * @throws IllegalStateException if it is not built, saying how to build it
   */
  public static Path locate(String module, String what) {
    Path relative = Path.of(module, "target", "quarkus-app", "quarkus-run.jar");
    String home = System.getProperty("stampede.home");
    Path here = Path.of("").toAbsolutePath();
    Path[] bases = home != null ? new Path[] {Path.of(home)} : new Path[] {here, here.getParent()};
    for (Path base : bases) {
      if (base != null && Files.isRegularFile(base.resolve(relative))) {
        return base.resolve(relative);
      }
    }
    throw new IllegalStateException(what + " is not built: " + relative
        + " is missing (build it: mvn -q -DskipTests -pl " + module + " -am package)");
  }

  /**
   * The packaged {@code application.properties} of the Quarkus app whose {@code quarkus-run.jar} is {@code runJar}
   * (from its {@code app/*.jar}): the configuration the app runs with when nothing overrides it.
   *
   * @throws IllegalStateException if the layout is not a Quarkus fast-jar or has no application.properties
   */
  public static Properties applicationProperties(Path runJar) {
    Path appDir = runJar.toAbsolutePath().getParent().resolve("app");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(appDir, "*.jar")) {
      for (Path jar : jars) {
        try (JarFile file = new JarFile(jar.toFile())) {
          ZipEntry entry = file.getEntry("application.properties");
          if (entry != null) {
            Properties properties = new Properties();
            try (InputStream in = file.getInputStream(entry)) {
              properties.load(in);
            }
            return properties;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the application.properties under " + appDir, e);
    }
    throw new IllegalStateException("no application.properties in " + appDir + "/*.jar");
  }

  /**
   * The properties under {@code prefix} as the environment variables that set them (Quarkus' mapping: upper case,
   * every character other than a letter or digit an underscore), e.g. {@code stampede.admission.limit.min=32} to
   * {@code STAMPEDE_ADMISSION_LIMIT_MIN=32}.
   */
  public static Map<String, String> asEnvironment(Properties properties, String prefix) {
    Map<String, String> env = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        env.put(name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), properties.getProperty(name));
      }
    }
    return env;
  }
}
