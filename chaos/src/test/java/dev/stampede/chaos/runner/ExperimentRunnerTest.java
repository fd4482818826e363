package dev.stampede.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.report.RunReport;
import dev.stampede.chaos.storm.ClientIdentity;
import dev.stampede.chaos.storm.ClientProfile;
import dev.stampede.chaos.storm.RawCalls;
import dev.stampede.chaos.storm.Reply;
import dev.stampede.chaos.storm.Skype2007Client;
import dev.stampede.chaos.storm.StormTimer;
import dev.stampede.chaos.storm.VirtualClient;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.StormRecorder;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner end to end on an in-memory stack: a server that answers in 2 ms while up and refuses connections while
 * a fault has it down, and fast clients (the 2007 state machine with 100 ms retries), so a whole run takes seconds.
 */
class ExperimentRunnerTest {
  private static final Duration DOWN_FOR = Duration.ofMillis(500);

  /** The in-memory stack. */
  static class FakeStack implements StackDriver, RawCalls {
    volatile boolean up = true;
    final AtomicInteger seeded = new AtomicInteger();
    final AtomicInteger faults = new AtomicInteger();
    String calibratedPrefix;
    StormTimer timer;

    @Override
    public String engine() {
      return "fake";
    }

    @Override
    public boolean admission() {
      return true;
    }

    @Override
    public Map<String, List<URI>> metricsEndpoints() {
      return Map.of();
    }

    @Override
    public void seed(String prefix, String password, int count) {
      seeded.addAndGet(count);
    }

    @Override
    public double calibrate(RecoveryMix mix, Calibration calibration, String prefix, String password) {
      calibratedPrefix = prefix;
      return 500;
    }

    @Override
    public VirtualClient client(ClientIdentity id, ClientProfile profile, StormTimer t, StormRecorder recorder) {
      this.timer = t;
      return new Skype2007Client(id, new ClientProfile.Skype2007(Duration.ofSeconds(1), Duration.ofMillis(100), 5,
          Duration.ZERO), this, t, recorder);
    }

    @Override
    public FaultRun fault(Fault fault) {
      faults.incrementAndGet();
      Instant at = Instant.now();
      up = false;
      try {
        Thread.sleep(DOWN_FOR.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      up = true;
      Instant ready = Instant.now();
      return new FaultRun(at, Optional.of(Duration.between(at, ready)), false, List.of(
          new JournalEntry(at, "fake", "kill", "auth-1", "ok", ""),
          new JournalEntry(ready, "fake", "ready", "auth-1", "ok", "")));
    }

    @Override
    public void close() {
    }

    private <T> CompletableFuture<Reply<T>> answer(T value) {
      CompletableFuture<Reply<T>> f = new CompletableFuture<>();
      if (!up) {
        f.complete(Reply.failed(Outcome.UNREACHABLE, "UNAVAILABLE", -1));
      } else {
        timer.schedule(2_000_000, () -> f.complete(up ? Reply.ok(value)
            : Reply.failed(Outcome.UNREACHABLE, "UNAVAILABLE", -1)));
      }
      return f;
    }

    @Override
    public CompletableFuture<Reply<Grant>> login(int c, String u, String p, String d, Duration deadline) {
      return answer(new Grant("u" + c, "token", "ticket"));
    }

    @Override
    public CompletableFuture<Reply<Lease>> register(int c, String token, Duration deadline) {
      return answer(new Lease("lease-" + c, Duration.ofSeconds(30)));
    }

    @Override
    public CompletableFuture<Reply<Void>> heartbeat(int c, String token, String lease, Duration deadline) {
      return answer(null);
    }

    @Override
    public void reconnect(int c) {
    }
  }

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
    assertThat(rec.tReadyS()).isBetween(0.45, 1.0);
    assertThat(rec.boundS()).isCloseTo(Math.max(1.0, rec.tReadyS()) + 60 / 500.0, within(1e-9));
    assertThat(rec.recovered()).isTrue();
    // The last reboot is at ~0.98 s; clients are back within a few ms of it.
    assertThat(rec.t99S()).isBetween(0.9, 2.0);
    assertThat(rec.attemptsPerClient()).isBetween(1.0, 5.0);
    assertThat(r.passed()).isTrue();
    assertThat(r.journal()).extracting(e -> e.type()).containsExactly("kill", "ready");
    assertThat(r.journal().get(0).tS()).isBetween(-0.05, 0.2);
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
}
