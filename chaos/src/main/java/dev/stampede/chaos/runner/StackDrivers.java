package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the system under test for an engine: {@code local} (Redis and the service jars as child processes, the
 * local restart engine) or {@code kubernetes} (the deployed services, the Kubernetes restart engine).
 *
 * <p>The drivers are assembled from the restart engines ({@code dev.stampede.chaos.restart}), the client SDK and,
 * for the local engine, the service jars; when a jar is not built this factory says precisely what is missing.
 */
public final class StackDrivers {
  /** The service jars the local engine runs, relative to the repository root. */
  public static final List<String> SERVICE_JARS = List.of("auth-service/target/quarkus-app/quarkus-run.jar",
      "directory-service/target/quarkus-app/quarkus-run.jar");

  private StackDrivers() {
  }

  /**
   * What the local engine still lacks on this machine, one item per missing piece; empty when it can run.
   *
   * @param home the repository root ({@code -Dstampede.home})
   */
  public static List<String> missingForLocal(Path home) {
    List<String> missing = new ArrayList<>();
    for (String jar : SERVICE_JARS) {
      if (!Files.isRegularFile(home.resolve(jar))) {
        missing.add(jar + " (build it: mvn -B -DskipTests install, or ./stampede builds it)");
      }
    }
    if (!onClasspath("dev.stampede.chaos.restart.RestartEngine")) {
      missing.add("the restart engines (module chaos, package dev.stampede.chaos.restart)");
    }
    if (!onClasspath("dev.stampede.client.StampedeClient")) {
      missing.add("the client SDK (module client-sdk)");
    }
    return missing;
  }

  /**
   * Starts a stack for an experiment on an engine.
   *
   * @param engine {@code local} or {@code kubernetes}
   * @param admission whether admission control is on (local engine; the deployed setting on Kubernetes)
   * @throws EngineUnavailableException if the engine cannot run here
   * @throws IllegalStateException if the local stack does not come up (a replica never ready)
   */
  public static StackDriver start(String engine, Experiment experiment, boolean admission, Path home) {
    return start(engine, experiment, admission, home, java.util.Optional.empty());
  }

  /**
   * Starts a stack for an experiment on an engine, the local stack's replicas logging to {@code logDir}.
   *
   * @param engine {@code local} or {@code kubernetes}
   * @param admission whether admission control is on (local engine; the deployed setting on Kubernetes)
   * @param logDir where local replicas write {@code <replica>.log}; empty for a temporary directory
   * @throws EngineUnavailableException if the engine cannot run here
   * @throws IllegalStateException if the local stack does not come up (a replica never ready)
   */
  public static StackDriver start(String engine, Experiment experiment, boolean admission, Path home,
      java.util.Optional<Path> logDir) {
    if (engine.equals("kubernetes")) {
      return KubernetesStackDriver.connect(experiment, admission, System::getenv);
    }
    if (!engine.equals("local")) {
      throw new IllegalArgumentException("engine: '" + engine + "' (expected: local or kubernetes)");
    }
    List<String> missing = missingForLocal(home);
    if (!missing.isEmpty()) {
      throw new EngineUnavailableException("the " + engine + " engine cannot run in this build: missing "
          + String.join("; ", missing));
    }
    return LocalStackDriver.start(home, experiment, admission, logDir);
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, StackDrivers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
