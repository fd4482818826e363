package dev.stampede.chaos.demo;

import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.Observation;
import dev.stampede.chaos.experiment.Profile;
import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.experiment.SteadyPhase;
import dev.stampede.chaos.experiment.Storm;
import dev.stampede.chaos.experiment.StormWave;
import dev.stampede.chaos.experiment.Arrival;
import dev.stampede.chaos.experiment.ClientCount;
import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.report.ReportHtml;
import dev.stampede.chaos.report.RunReport;
import dev.stampede.chaos.report.SummaryTable;
import dev.stampede.chaos.runner.ExperimentRunner;
import dev.stampede.chaos.runner.RampSizing;
import dev.stampede.chaos.runner.StackDriver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./stampede demo}: the patch-tuesday experiment three times with the same N, W and faults —
 * {@code unprotected} (admission off, skype2007 clients), {@code admission_only} (admission on, skype2007) and
 * {@code protected} (admission on, sdk clients) — each on a freshly started stack, each with its own calibrated C
 * and measured t_ready. N comes from the log-in capacity measured on the unprotected run's own ramp, after a warm-up
 * long enough for the services' JIT ({@link DemoPlan}); the other two runs measure theirs after their ramp.
 *
 * <p>Writes {@code report.html} with the three runs side by side, each run's {@code report.json} in a directory of
 * its own, and optionally the {@link DemoJson} document.
 */
public final class Demo {

  /** Starts a stack for one run. */
  public interface StackFactory {
    /**
     * Starts the services with admission control on or off ({@code STAMPEDE_ADMISSION_ENABLED}).
     *
     * @throws Exception if the stack does not come up
     */
    StackDriver start(boolean admission) throws Exception;
  }

  /**
   * The demo's settings.
   *
   * @param mode default or quick
   * @param clients N from {@code --clients}, or 0 to choose
   * @param outDir where the reports go ({@code target/demo})
   * @param json the {@code --json} file, if asked
   */
  public record Settings(DemoPlan.Mode mode, int clients, Path outDir, Optional<Path> json) {
  }

  private final StackFactory stacks;
  private final PrintWriter out;
  private final boolean interactive;

  /**
   * @param stacks starts a stack per run
   * @param out the terminal
   * @param interactive whether {@code out} is a terminal
   */
  public Demo(StackFactory stacks, PrintWriter out, boolean interactive) {
    this.stacks = stacks;
    this.out = out;
    this.interactive = interactive;
  }

  /**
   * Runs the three runs.
   *
   * @param base the patch-tuesday experiment (faults, ramp, steady phase); N, W, storm, SLOs and observation are
   *     set by the demo
   * @return the runs in order
   */
  public List<RunReport> run(Experiment base, Settings settings) throws Exception {
    DemoPlan.Mode mode = settings.mode();
    // Every C is measured on services that have done log-ins: a freshly started service is slower until its JIT has
    // compiled the hot paths (the hash loop above all). The unprotected run's ramp is the measurement N is chosen
    // from: its closed loop of log-ins runs at the stack's capacity, measured in windows after a warm-up until the
    // rate stops growing (a C measured too early chooses an N that offers the naive server less than 2 x what it
    // serves once warm, and it recovers). The other two runs calibrate after their ramp.
    Calibration calibration = new Calibration(Optional.empty(), DemoPlan.CALIBRATION_WARMUP, mode.calibration(),
        base.calibration().concurrency(), Calibration.When.AFTER_RAMP);
    List<RunReport> runs = new ArrayList<>();
    AtomicReference<DemoPlan> chosen = new AtomicReference<>();
    out.println("demo: starting the unprotected stack (admission off) ...");
    try (StackDriver unprotected = stacks.start(false)) {
      int upperBound = settings.clients() > 0 ? settings.clients() : DemoPlan.MAX_CLIENTS;
      out.printf("demo: the unprotected run's ramp measures the log-in capacity C of this machine (%d s warm-up, then "
          + "%d s windows until the rate stops growing, at most %d s warm-up) and N is chosen from it%n",
          mode.sizingWarmup().toSeconds(), mode.sizingWindow().toSeconds(), mode.sizingMaxWarmup().toSeconds());
      RampSizing sizing = new RampSizing(mode.sizingWarmup(), mode.sizingWindow(), mode.sizingMaxWarmup(),
          c -> Math.min(upperBound, DemoPlan.choose(mode, c, settings.clients()).clients()), (c, n) -> {
            DemoPlan plan = DemoPlan.choose(mode, c, n);
            chosen.set(plan);
            out.println(plan.describe());
            plan.warnings().forEach(w -> out.println("demo: warning: " + w));
            out.flush();
          });
      Experiment e = configure(base, mode, upperBound, calibration, Profile.SKYPE2007, false);
      out.println();
      out.println("demo: unprotected run — admission off, skype2007 clients, "
          + (settings.clients() > 0 ? "N = " + settings.clients() : "N chosen on the ramp"));
      out.flush();
      runs.add(runner(unprotected, "unprotected", settings).run(e, sizing));
    }
    DemoPlan plan = chosen.get();
    for (String label : List.of("admission_only", "protected")) {
      Profile profile = label.equals("protected") ? Profile.SDK : Profile.SKYPE2007;
      out.println("demo: restarting the stack with admission on for the " + label + " run ...");
      try (StackDriver stack = stacks.start(true)) {
        runs.add(runOne(stack, configure(base, mode, plan.clients(), calibration, profile, true), label, settings));
      }
    }
    Path html = settings.outDir().resolve("report.html");
    new ReportHtml().write("Stampede demo: " + base.name() + " unprotected, admission only, protected", runs, html);
    if (settings.json().isPresent()) {
      new DemoJson().write(plan.clients(), plan.window().toMillis() / 1000.0, html, runs, settings.json().get());
    }
    out.println();
    out.print(new SummaryTable().compare(runs));
    out.println("demo: report " + html.toAbsolutePath());
    out.flush();
    return runs;
  }

  /**
   * The experiment of one run: the base with the demo's N (an upper bound for the unprotected run, which chooses N
   * on its ramp), W, profile, admission, SLOs, observation tail and steady hold.
   */
  static Experiment configure(Experiment base, DemoPlan.Mode mode, int clients, Calibration calibration,
      Profile profile, boolean admission) {
    Storm storm = new Storm(profile, Duration.ZERO, Duration.ZERO, List.of(new StormWave(ClientCount.all(),
        Duration.ZERO, Arrival.UNIFORM, Optional.of(mode.window()), Optional.empty())));
    List<Slo> slos = switch (profile) {
      case SDK -> List.of(Slo.parse("recovery_ratio <= 1.5"), Slo.parse("attempts_per_client <= 2"));
      case SKYPE2007 -> admission ? List.of(Slo.parse("recovery_ratio <= 2"))
          : List.of(Slo.parse("recovery_ratio <= 1.5"));
    };
    // The window is exactly 5 x bound (no minimum): "not recovered" then means R > 5.
    Observation observation = new Observation(DemoPlan.WINDOW_MULTIPLE, Duration.ofSeconds(1), Duration.ofHours(1),
        Optional.of(mode.tail()));
    SteadyPhase steady = new SteadyPhase(Math.max(DemoPlan.RAMP_CONCURRENCY, base.steady().rampConcurrency()),
        base.steady().rampRate(), mode.steadyHold());
    return base.withClients(clients).withStorm(storm).withAdmission(admission).withSlos(slos)
        .withObservation(observation).withCalibration(calibration).withSteady(steady);
  }

  private RunReport runOne(StackDriver stack, Experiment e, String label, Settings settings) throws Exception {
    out.println();
    out.println("demo: " + label + " run — admission " + (stack.admission() ? "on" : "off") + ", "
        + e.storm().profile().id() + " clients, N = " + e.population().clients());
    out.flush();
    return runner(stack, label, settings).run(e);
  }

  private ExperimentRunner runner(StackDriver stack, String label, Settings settings) {
    return new ExperimentRunner(stack, new ExperimentRunner.Options(label, Optional.of(settings.outDir().resolve(label)),
        out, interactive, 2007));
  }

}
