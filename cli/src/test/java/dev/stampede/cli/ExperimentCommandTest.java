package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExperimentCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private String home;

  @TempDir
  Path dir;

  @BeforeEach
  void repositoryRoot() {
    home = System.getProperty("stampede.home");
    // A root without built service jars: the engines cannot run, and must say so.
    System.setProperty("stampede.home", dir.toString());
  }

  @AfterEach
  void restore() {
    if (home == null) {
      System.clearProperty("stampede.home");
    } else {
      System.setProperty("stampede.home", home);
    }
  }

  private int run(String... args) {
    CommandLine commandLine = StampedeCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path shipped(String name) {
    return Path.of("..", "experiments", name);
  }

  @Test
  void check_validatesAndDescribesTheShippedExperiments() {
    for (String name : new String[] {"patch-tuesday.yaml", "metastable.yaml", "redis-restart.yaml"}) {
      assertThat(run("experiment", "--check", shipped(name).toString())).as(name).isZero();
    }

    assertThat(out.toString()).contains("patch-tuesday:", "1000 clients; 1000 reboot as sdk clients",
        "kill all of app.kubernetes.io/name in (auth,directory) (t_ready measured)", "slo          recovery_ratio <= 1.5",
        "storm wave   25% at t0+0.0s, all-at-once", "at 0.8C", "ok: ");
  }

  @Test
  void invalidFile_exits2NamingTheField() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: bad\npopulation: {clients: 10}\nstorm: {profile: sdk, window: soon}\n");

    assertThat(run("experiment", bad.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("stampede experiment: bad.yaml:3:", "storm.window: 'soon'");
    assertThat(err.toString()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void missingFile_exits2() {
    assertThat(run("experiment", dir.resolve("nope.yaml").toString())).isEqualTo(2);

    assertThat(err.toString()).contains("nope.yaml: no such file");
  }

  @Test
  void unknownEngine_exits2() {
    assertThat(run("experiment", "--engine", "docker", shipped("patch-tuesday.yaml").toString())).isEqualTo(2);

    assertThat(err.toString()).contains("--engine: 'docker' (expected: local or kubernetes)");
  }

  @Test
  void withoutTheServicesBuilt_exits3AndRunsNothing() {
    assertThat(run("experiment", shipped("patch-tuesday.yaml").toString())).isEqualTo(3);

    assertThat(err.toString()).contains("cannot run in this build", "auth-service/target/quarkus-app/quarkus-run.jar",
        "nothing was run");
    assertThat(dir.resolve("target")).doesNotExist();
  }

  @Test
  void kubernetesEngine_withoutItsSection_exits3() {
    assertThat(run("experiment", "--engine", "kubernetes", shipped("patch-tuesday.yaml").toString())).isEqualTo(3);

    assertThat(err.toString()).contains("needs a 'kubernetes:' section");
  }

  @Test
  void demo_withoutTheServicesBuilt_exits3() throws Exception {
    Files.createDirectories(dir.resolve("experiments"));
    Files.copy(shipped("patch-tuesday.yaml"), dir.resolve("experiments/patch-tuesday.yaml"));

    assertThat(run("demo", "--quick")).isEqualTo(3);

    assertThat(err.toString()).contains("stampede demo: cannot run in this build", "Nothing was run.");
  }

  @Test
  void demo_badClients_exits2() {
    assertThat(run("demo", "--clients", "0")).isEqualTo(2);

    assertThat(err.toString()).contains("--clients: 0 (expected: 1..200000)");
  }
}
