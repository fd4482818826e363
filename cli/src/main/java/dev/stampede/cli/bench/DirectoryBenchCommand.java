package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.directory.DirectoryBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the directory's benchmarks share: options, the run, the JSON. */
abstract class DirectoryBenchCommand implements Callable<Integer> {
  @Mixin
  BenchOptions options;

  @Option(names = "--concurrency", defaultValue = "64", description = "Calls in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--admission", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run the directory and the anchor with admission control (default: on, as deployed); "
          + "--no-admission measures both bare.")
  boolean admission;

  @Spec
  CommandSpec spec;

  /** How many sessions, users or devices to set up. */
  abstract int population();

  abstract BenchReport run(DirectoryBench bench);

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    DirectoryBench.Settings settings;
    try {
      settings = DirectoryBench.Settings.of(options.quick, concurrency, population(), admission);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    BenchReport report = run(new DirectoryBench(settings, out));
    if (options.json != null) {
      report.write(options.json);
      out.println("wrote " + options.json);
    }
    out.flush();
    return 0;
  }
}
