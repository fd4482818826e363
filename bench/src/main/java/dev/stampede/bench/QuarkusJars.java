package dev.stampede.bench;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
