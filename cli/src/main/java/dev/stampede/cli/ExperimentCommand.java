package dev.stampede.cli;

import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentException;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.StormWave;
import dev.stampede.chaos.report.RunReport;
import dev.stampede.chaos.runner.EngineUnavailableException;
import dev.stampede.chaos.runner.ExperimentRunner;
import dev.stampede.chaos.runner.RunFailedException;
import dev.stampede.chaos.runner.StackDriver;
import dev.stampede.chaos.runner.StackDrivers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stampede experiment FILE [--engine local|kubernetes] [--out DIR] [--check]}: runs a chaos experiment and
 * judges it by its SLOs.
 *
 * <p>Exit codes: 0 every SLO held; 1 an SLO failed; 2 bad usage or an invalid experiment file (the message names
 * the field); 3 the engine cannot run in this build or on this machine; 4 the run could not reach its storm (the
 * stack was not healthy).
 */
@Command(name = "experiment", description = {
    "Run a chaos experiment (YAML) and judge it by its SLOs: calibrate C, ramp the clients in, fault and storm at "
        + "t0, watch until recovered or 5 x the bound, write report.json and report.html.",
    "Exit 0 when every SLO holds, 1 when one fails, 2 for a bad file or flag, 3 when the engine cannot run here, "
        + "4 when the stack was not healthy enough to start the storm."})
public final class ExperimentCommand implements Callable<Integer> {
  static final int EXIT_SLO_FAILED = 1;
  static final int EXIT_UNAVAILABLE = 3;
  static final int EXIT_RUN_FAILED = 4;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The experiment file, e.g. experiments/patch-tuesday.yaml.")
  Path file;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
      description = "local (services as child processes, the default) or kubernetes.")
  String engine;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where to write report.json and report.html (default target/experiments/NAME-TIME).")
  Path out;

  @Option(names = "--check", description = "Only validate the file and print what the run would do.")
  boolean check;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (!engine.equals("local") && !engine.equals("kubernetes")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--engine: '" + engine + "' (expected: local or kubernetes)");
    }
    Experiment e;
    try {
      e = new ExperimentParser().parse(file);
    } catch (ExperimentException ex) {
      stderr.println("stampede experiment: " + ex.getMessage());
      return StampedeCommand.EXIT_USAGE;
    }
    if (check) {
      stdout.print(describe(e));
      stdout.println("ok: " + file + " is a valid experiment");
      return 0;
    }
    Path home = Path.of(System.getProperty("stampede.home", "."));
    Path dir = out != null ? out : home.resolve("target/experiments/" + e.name() + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    try (StackDriver stack = StackDrivers.start(engine, e, e.stack().admission(), home,
        Optional.of(dir.resolve("logs")))) {
      RunReport report = new ExperimentRunner(stack, new ExperimentRunner.Options(e.name(), Optional.of(dir), stdout,
          System.console() != null, System.nanoTime())).run(e);
      stdout.println("reports: " + dir.resolve("report.json") + ", " + dir.resolve("report.html"));
      return report.passed() ? 0 : EXIT_SLO_FAILED;
    } catch (EngineUnavailableException ex) {
      stderr.println("stampede experiment: " + ex.getMessage() + ". " + file + " is valid; nothing was run.");
      return EXIT_UNAVAILABLE;
    } catch (RunFailedException ex) {
      stderr.println("stampede experiment: " + ex.getMessage());
      return EXIT_RUN_FAILED;
    }
  }

  /** What the experiment will do, for {@code --check}. */
  static String describe(Experiment e) {
    StringBuilder s = new StringBuilder();
    s.append(e.name()).append(": ").append(e.description().strip()).append('\n');
    s.append("  population   ").append(e.population().clients()).append(" clients; ").append(e.stormClients())
        .append(" reboot as ").append(e.storm().profile().id()).append(" clients\n");
    s.append("  stack        admission ").append(e.stack().admission() ? "on" : "off").append(", replicas ")
        .append(e.stack().replicas()).append('\n');
    s.append("  calibration  ").append(e.recoveryMix().id()).append(" + register, ")
        .append(e.calibration().concurrency()).append(" in flight for ").append(e.calibration().duration().toSeconds())
        .append(" s\n");
    s.append("  ramp         ").append(e.steady().rampConcurrency()).append(" log-ins in flight")
        .append(e.steady().rampRate().map(r -> ", at most " + r).orElse("")).append(", then hold ")
        .append(e.steady().hold().toSeconds()).append(" s\n");
    for (Fault f : e.faults()) {
      s.append("  fault        t0+").append(f.at().toMillis() / 1000.0).append("s ").append(f.action()).append(' ')
          .append(f.mode()).append(f.value() > 0 ? " " + f.value() : "").append(" of ").append(f.selector())
          .append(f.awaitsReady() ? " (t_ready measured)" : "").append('\n');
    }
    for (StormWave w : e.storm().waves()) {
      s.append("  storm wave   ").append(w.clients()).append(" at t0+")
          .append((e.storm().at().plus(w.start())).toMillis() / 1000.0).append("s, ").append(w.arrival().id())
          .append(w.window().map(d -> " over " + d.toMillis() / 1000.0 + "s").orElse(""))
          .append(w.rate().map(r -> " at " + r).orElse("")).append('\n');
    }
    s.append("  observation  ").append(e.observation().boundMultiple()).append(" x bound")
        .append(e.observation().tail().map(t -> ", stop " + t.toSeconds() + " s after recovery").orElse(""))
        .append('\n');
    e.slos().forEach(slo -> s.append("  slo          ").append(slo).append('\n'));
    return s.toString();
  }
}
