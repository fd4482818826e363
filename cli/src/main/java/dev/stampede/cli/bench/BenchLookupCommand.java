package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.directory.DirectoryBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stampede bench lookup}: directory Lookup throughput and latency against the anchor. */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    description = "Directory Lookup throughput and p99 (closed loop over --users present users, 64 callers) and the "
        + "anchor in the same run; a private Redis, the packaged directory and the anchor as processes.")
public final class BenchLookupCommand extends DirectoryBenchCommand {
  @Option(names = "--users", defaultValue = "1000", description = "Users present (default ${DEFAULT-VALUE}).")
  int users;

  @Override
  int population() {
    return users;
  }

  @Override
  BenchReport run(DirectoryBench bench) {
    return bench.lookup();
  }
}
