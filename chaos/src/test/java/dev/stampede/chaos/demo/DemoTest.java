package dev.stampede.chaos.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.experiment.Profile;
import dev.stampede.chaos.report.RunReport;
import dev.stampede.chaos.runner.FakeStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  private static final DemoPlan.Mode TINY = new DemoPlan.Mode(Duration.ofSeconds(1), Duration.ofMinutes(1), 2, 2,
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Duration.ofMillis(300), Duration.ZERO);

  @Test
  void demo_runsThreeStacksWithTheSameN_andWritesTheReports(@TempDir Path dir) throws Exception {
    List<Boolean> started = new ArrayList<>();
    StringWriter terminal = new StringWriter();
    Demo demo = new Demo(admission -> {
      started.add(admission);
      return new FakeStack(admission);
    }, new PrintWriter(terminal, true), false);
    Experiment base = new ExperimentParser().parse(Path.of("..", "experiments", "patch-tuesday.yaml"))
        .withSteady(new dev.stampede.chaos.experiment.SteadyPhase(8, Optional.empty(), Duration.ZERO));

    List<RunReport> runs = demo.run(base, new Demo.Settings(TINY, 40, dir, Optional.of(dir.resolve("demo.json"))));

    assertThat(started).containsExactly(false, true, true);
    assertThat(runs).extracting(r -> r.setup().label()).containsExactly("unprotected", "admission_only", "protected");
    assertThat(runs).extracting(r -> r.setup().profile())
        .containsExactly(Profile.SKYPE2007, Profile.SKYPE2007, Profile.SDK);
    assertThat(runs).allSatisfy(r -> assertThat(r.summary().recovery().clients()).isEqualTo(40));
    assertThat(runs).allSatisfy(r -> assertThat(r.summary().recovery().windowS()).isEqualTo(1.0));
    // The unprotected run seeds as its ramp goes (it would choose N on it); 40 clients are in before the ramp's
    // warm-up ends, so it calibrates after the ramp.
    assertThat(runs.get(0).phases()).extracting(p -> p.name())
        .containsExactly("ramp", "calibration", "steady", "storm");
    // The other two measure theirs after the ramp, on services that have done the clients' log-ins.
    assertThat(runs.get(1).phases()).extracting(p -> p.name())
        .containsExactly("seed", "ramp", "calibration", "steady", "storm");
    assertThat(runs.get(2).phases()).extracting(p -> p.name())
        .containsExactly("seed", "ramp", "calibration", "steady", "storm");
    assertThat(dir.resolve("report.html")).exists();
    assertThat(dir.resolve("unprotected/report.json")).exists();
    assertThat(dir.resolve("protected/report.html")).exists();
    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("demo.json")));
    assertThat(json.path("clients").asInt()).isEqualTo(40);
    assertThat(json.path("protected").path("profile").asText()).isEqualTo("sdk");
    assertThat(terminal.toString()).contains("demo plan: N = 40 clients", "warning: 40 clients offer only",
        "R = T99 / bound");
  }

  @Test
  void quickRuns_holdAndWatchForTheQuickModesTimes_andKeepTheBoundMultiple() throws Exception {
    Experiment base = new ExperimentParser().parse(Path.of("..", "experiments", "patch-tuesday.yaml"));
    DemoPlan plan = DemoPlan.choose(DemoPlan.QUICK, 25, 0);

    Experiment e = Demo.configure(base, DemoPlan.QUICK, plan.clients(), base.calibration(), Profile.SKYPE2007,
        false);

    assertThat(e.steady().hold()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.observation().tail()).contains(Duration.ofSeconds(3));
    assertThat(e.observation().boundMultiple()).isEqualTo(5.0);
    assertThat(e.population().clients()).isEqualTo(plan.clients());
    assertThat(e.storm().waves()).singleElement().satisfies(w -> assertThat(w.window()).contains(Duration.ofSeconds(5)));
    assertThat(base.steady().hold()).isEqualTo(Duration.ofSeconds(5));
  }
}
