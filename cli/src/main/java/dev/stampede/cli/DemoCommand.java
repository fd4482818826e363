package dev.stampede.cli;

import dev.stampede.chaos.demo.Demo;
import dev.stampede.chaos.demo.DemoPlan;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentException;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.runner.EngineUnavailableException;
import dev.stampede.chaos.runner.RunFailedException;
import dev.stampede.chaos.runner.StackDrivers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede demo [--quick] [--clients N] [--json FILE]}: the reboot-storm comparison — patch-tuesday
 * unprotected, admission only and protected, with N chosen from this machine's log-in capacity.
 *
 * <p>Exit codes: 0 when the three runs completed and the reports were written (the unprotected run is expected to
 * fail its SLO: verdicts are in the output and the JSON); 2 bad usage; 3 the demo cannot run in this build; 4 a
 * run could not reach its storm.
 */
@Command(name = "demo", description = {
    "Run the reboot-storm experiment (patch-tuesday) three times: unprotected (admission off, 2007 clients), "
        + "admission_only (admission on, 2007 clients) and protected (admission on, SDK clients). Prints N, C and "
        + "the offered rate, the runs side by side, and writes target/demo/report.html.",
    "Takes <= 10 min after the first build (--quick: <= 6 min)."})
public final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "A shorter demo (W = 5 s, N at 2 x the log-in capacity, <= 6 min).")
  boolean quick;

  @Option(names = "--clients", paramLabel = "N", description = "Use N clients instead of choosing N from C.")
  Integer clients;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (clients != null && (clients < 1 || clients > 200_000)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--clients: " + clients + " (expected: 1..200000)");
    }
    Path home = Path.of(System.getProperty("stampede.home", "."));
    Experiment base;
    try {
      base = new ExperimentParser().parse(home.resolve("experiments/patch-tuesday.yaml"));
    } catch (ExperimentException e) {
      stderr.println("stampede demo: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    List<String> missing = StackDrivers.missingForLocal(home);
    if (!missing.isEmpty()) {
      stderr.println("stampede demo: cannot run in this build: missing " + String.join("; ", missing)
          + ". Nothing was run.");
      return ExperimentCommand.EXIT_UNAVAILABLE;
    }
    Demo demo = new Demo(admission -> StackDrivers.start("local", base, admission, home), stdout,
        System.console() != null);
    try {
      demo.run(base, new Demo.Settings(quick ? DemoPlan.QUICK : DemoPlan.DEFAULT, clients == null ? 0 : clients,
          home.resolve("target/demo"), Optional.ofNullable(json)));
      return 0;
    } catch (EngineUnavailableException e) {
      stderr.println("stampede demo: " + e.getMessage() + ". Nothing was run.");
      return ExperimentCommand.EXIT_UNAVAILABLE;
    } catch (RunFailedException e) {
      stderr.println("stampede demo: " + e.getMessage());
      return ExperimentCommand.EXIT_RUN_FAILED;
    }
  }
}
