package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.overload.OverloadBench;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stampede bench overload}: goodput at 1×, 2×, 5×, 10× capacity, admission on and off. */
@Command(
    name = "overload",
    mixinStandardHelpOptions = true,
    description = {
        "Goodput of a server burning 2 ms of CPU per call on one worker, offered 1x, 2x, 5x and 10x its measured "
            + "capacity (Poisson arrivals, 500 ms deadline per attempt), with admission control (clients obey "
            + "pushback) and without (clients retry at once); plus the CPU cost of a refusal.",
        "--quick finishes in under 2 minutes on 2 cores."})
public final class BenchOverloadCommand implements Callable<Integer> {
  @Mixin
  BenchOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> json = new OverloadBench(
        OverloadBench.Settings.standard(options.quick, System.getProperty("java.class.path")), out).run();
    if (options.json != null) {
      BenchReport.write(options.json, json);
      out.println("wrote " + options.json);
    }
    out.flush();
    return 0;
  }
}
