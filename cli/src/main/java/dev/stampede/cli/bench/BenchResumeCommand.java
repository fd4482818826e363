package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.auth.AuthBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stampede bench resume}: auth's Resume throughput and p99, beside the anchor in the same run. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resume throughput and latency of auth-service (closed loop, each call rotates a device's ticket), "
        + "with Redis (AOF) and the anchor measured in the same run.")
public final class BenchResumeCommand implements Callable<Integer> {
  @Mixin
  BenchOptions options;

  @Option(names = "--concurrency", defaultValue = "64", description = "Calls in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    if (concurrency < 1 || concurrency > 4096) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--concurrency: " + concurrency + " (expected: 1..4096)");
    }
    PrintWriter out = spec.commandLine().getOut();
    AuthBench.Settings settings = options.quick
        ? AuthBench.Settings.quick(concurrency) : AuthBench.Settings.full(concurrency);
    BenchReport report = new AuthBench(settings, out).resume();
    if (options.json != null) {
      report.write(options.json);
      out.println("wrote " + options.json);
    }
    out.flush();
    return 0;
  }
}
