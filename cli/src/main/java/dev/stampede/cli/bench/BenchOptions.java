package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every benchmark takes: {@code --quick} and {@code --json FILE}. */
public final class BenchOptions {
  @Option(names = "--quick", description = "Shorter runs (a smoke test of the numbers).")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path json;

  /** Fails with a usage error (exit 2) before a long run if {@code --json} cannot be written. */
  void validate(CommandLine commandLine) {
    if (json != null) {
      try {
        BenchReport.checkWritable(json);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(commandLine, e.getMessage());
      }
    }
  }
}
