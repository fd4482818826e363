package dev.stampede.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.report.RunReport;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end on the in-memory {@link FakeStack}, so a whole run takes seconds. */
class ExperimentRunnerTest {
  private static Experiment experiment(String slo) {
    return new ExperimentParser().parse("test.yaml", new StringReader("""
        name: tiny
        population: {clients: 60}
        steady: {ramp_concurrency: 8, hold: 200ms}
        calibration: {warmup: 0s, duration: 1s}
        faults:
          - {selector: app.kubernetes.io/name=auth}
        storm: {profile: skype2007, clients: 100%, window: 1s}
        observation: {min: 1s, tail: 500ms}
        slos: [SLO]
        """.replace("SLO", slo)));
  }

  private final StringWriter terminal = new StringWriter();

  private RunReport run(Experiment e, Path out) throws Exception {
    FakeStack stack = new FakeStack();
    RunReport r = new ExperimentRunner(stack, new ExperimentRunner.Options("tiny", Optional.ofNullable(out),
        new PrintWriter(terminal, true), false, 42)).run(e);
    assertThat(stack.seeded.get()).isEqualTo(60);
    assertThat(stack.faults.get()).isEqualTo(1);
    assertThat(stack.calibratedPrefix).startsWith("tiny-").endsWith("-cal-");
    return r;
  }

  @Test
  void run_recovers_measuresAgainstTheBound_andWritesTheReports(@TempDir Path dir) throws Exception {
    RunReport r = run(experiment("recovery_ratio <= 3"), dir);

    var rec = r.summary().recovery();
    assertThat(rec.clients()).isEqualTo(60);
    assertThat(rec.capacityPerS()).isEqualTo(500);
    assertThat(rec.windowS()).isEqualTo(1.0);
    assertThat(rec.tReadyS()).isBetween(0.45, 2.0); // 0.5 s, plus a slow machine's timer lag
    assertThat(rec.boundS()).isCloseTo(Math.max(1.0, rec.tReadyS()) + 60 / 500.0, within(1e-9));
    assertThat(rec.recovered()).isTrue();
    // The last reboot is at ~0.98 s; clients are back within a few ms of it (seconds on a slow machine).
    assertThat(rec.t99S()).isBetween(0.9, 4.0);
    // Sent in [t0, T99]: at T99 up to 1 % of the clients have not yet sent the attempt that brings them back.
    assertThat(rec.attemptsPerClient()).isBetween(0.97, 5.0);
    assertThat(r.passed()).isTrue();
    assertThat(r.journal()).extracting(e -> e.type()).containsExactly("kill", "ready");
    assertThat(r.journal().get(0).tS()).isBetween(-0.05, 1.0);
    assertThat(r.phases()).extracting(p -> p.name())
        .containsExactly("calibration", "seed", "ramp", "steady", "storm");
    assertThat(r.timeline()).isNotEmpty();
    assertThat(Files.readString(dir.resolve("report.json"))).contains("\"verdict\" : \"pass\"");
    assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg");
    assertThat(terminal.toString()).contains("C = 500.0 recoveries/s", "verdict: PASS (1 of 1 SLOs hold)");
  }

  @Test
  void impossibleSlo_failsTheRun() throws Exception {
    RunReport r = run(experiment("recovery_ratio <= 0.01"), null);

    assertThat(r.passed()).isFalse();
    assertThat(terminal.toString()).contains("verdict: FAIL (0 of 1 SLOs hold)");
  }

  @Test
  void calibrationAfterTheRamp_measuresOnServicesThatServedEveryLogIn() throws Exception {
    Experiment e = new ExperimentParser().parse("test.yaml", new StringReader("""
        name: tiny
        population: {clients: 60}
        steady: {ramp_concurrency: 8, hold: 200ms}
        calibration: {warmup: 0s, duration: 1s, when: after-ramp}
        faults:
          - {selector: app.kubernetes.io/name=auth}
        storm: {profile: skype2007, clients: 100%, window: 1s}
        observation: {min: 1s, tail: 500ms}
        slos: [recovered == true]
        """));
    assertThat(e.calibration().when()).isEqualTo(Calibration.When.AFTER_RAMP);
    java.util.concurrent.atomic.AtomicInteger seededWhenCalibrated = new java.util.concurrent.atomic.AtomicInteger(-1);
    FakeStack stack = new FakeStack() {
      @Override
      public double calibrate(RecoveryMix mix, Calibration c, String prefix, String password) {
        seededWhenCalibrated.set(seeded.get());
        return super.calibrate(mix, c, prefix, password);
      }
    };

    RunReport r = new ExperimentRunner(stack, new ExperimentRunner.Options("x", Optional.empty(),
        new PrintWriter(terminal, true), false, 1)).run(e);

    assertThat(seededWhenCalibrated.get()).isEqualTo(60);
    assertThat(r.phases()).extracting(p -> p.name()).containsExactly("seed", "ramp", "calibration", "steady", "storm");
    assertThat(r.summary().recovery().capacityPerS()).isEqualTo(500);
    assertThat(terminal.toString()).contains("C = 500.0 recoveries/s (login + register) measured on this run, after "
        + "the ramp");
  }

  @Test
  void populationChosenOnTheRamp_seedsAsItGoes_andRunsWithTheChosenN() throws Exception {
    // The experiment's 5000 clients are only the upper bound; the ramp's rate chooses 400.
    Experiment e = experiment("recovered == true").withClients(5000);
    FakeStack stack = new FakeStack();
    java.util.List<double[]> chosen = new java.util.ArrayList<>();
    RampSizing sizing = new RampSizing(java.time.Duration.ZERO, java.time.Duration.ofMillis(100),
        java.time.Duration.ZERO, c -> 400, (c, n) -> chosen.add(new double[] {c, n}));

    RunReport r = new ExperimentRunner(stack, new ExperimentRunner.Options("x", Optional.empty(),
        new PrintWriter(terminal, true), false, 1)).run(e, sizing);

    // Seeded a batch ahead of the ramp, not the upper bound; no calibration: C came from the ramp.
    assertThat(stack.seeded.get()).isEqualTo(1000);
    assertThat(stack.calibratedPrefix).isNull();
    assertThat(r.phases()).extracting(p -> p.name()).containsExactly("ramp", "steady", "storm");
    assertThat(chosen).singleElement().satisfies(c -> assertThat(c[1]).isEqualTo(400));
    assertThat(r.setup().population()).isEqualTo(400);
    assertThat(r.summary().recovery().clients()).isEqualTo(400);
    assertThat(r.summary().recovery().capacityPerS()).isEqualTo(chosen.get(0)[0]).isPositive();
    assertThat(r.summary().recovery().recovered()).isTrue();
    assertThat(terminal.toString()).contains("measured on this run, on its ramp");
  }

  @Test
  void populationChosenOnTheRamp_thatReachesItsUpperBoundFirst_calibratesAfterTheRamp() throws Exception {
    Experiment e = experiment("recovered == true");
    FakeStack stack = new FakeStack();
    RampSizing sizing = new RampSizing(java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(1),
        java.time.Duration.ZERO, c -> 60, (c, n) -> { });

    RunReport r = new ExperimentRunner(stack, new ExperimentRunner.Options("x", Optional.empty(),
        new PrintWriter(terminal, true), false, 1)).run(e, sizing);

    assertThat(r.phases()).extracting(p -> p.name()).containsExactly("ramp", "calibration", "steady", "storm");
    assertThat(r.summary().recovery().capacityPerS()).isEqualTo(500);
    assertThat(r.summary().recovery().clients()).isEqualTo(60);
  }

  @Test
  void calibrationThatMeasuresNothing_failsBeforeTheStorm() {
    FakeStack dead = new FakeStack() {
      @Override
      public double calibrate(RecoveryMix mix, Calibration c, String prefix, String password) {
        return 0;
      }
    };

    assertThatThrownBy(() -> new ExperimentRunner(dead, new ExperimentRunner.Options("x", Optional.empty(),
        new PrintWriter(terminal, true), false, 1)).run(experiment("recovered == true")))
        .isInstanceOf(RunFailedException.class).hasMessageStartingWith("calibration:");
    assertThat(dead.seeded.get()).isZero();
  }

  @Test
  void faultThatThrows_isJournalledAndTheRunGoesOn() throws Exception {
    FakeStack broken = new FakeStack() {
      @Override
      public FaultRun fault(dev.stampede.chaos.experiment.Fault fault) {
        throw new IllegalStateException("no such pod");
      }
    };

    RunReport r = new ExperimentRunner(broken, new ExperimentRunner.Options("x", Optional.empty(),
        new PrintWriter(terminal, true), false, 1)).run(experiment("recovered == true"));

    assertThat(r.journal()).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo("failed");
      assertThat(e.message()).isEqualTo("no such pod");
    });
    assertThat(r.summary().recovery().tReadyS()).isZero();
    assertThat(r.passed()).isTrue();
  }
}
