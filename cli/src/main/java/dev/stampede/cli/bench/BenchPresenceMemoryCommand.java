package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.directory.DirectoryBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stampede bench presence-memory}: Redis memory per present device. */
@Command(
    name = "presence-memory",
    mixinStandardHelpOptions = true,
    description = "Redis memory per present device (INFO memory before and after --devices registrations through "
        + "the packaged directory), then Register throughput and the anchor in the same run.")
public final class BenchPresenceMemoryCommand extends DirectoryBenchCommand {
  @Option(names = "--devices", description = "Devices to register (default 100000; 20000 with --quick).")
  Integer devices;

  @Override
  int population() {
    return devices != null ? devices : options.quick ? 20_000 : 100_000;
  }

  @Override
  BenchReport run(DirectoryBench bench) {
    return bench.presenceMemory();
  }
}
