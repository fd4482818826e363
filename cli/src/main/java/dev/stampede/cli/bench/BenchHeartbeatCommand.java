package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.directory.DirectoryBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stampede bench heartbeat}: directory Heartbeat throughput and latency against the anchor. */
@Command(
    name = "heartbeat",
    mixinStandardHelpOptions = true,
    description = "Directory Heartbeat throughput and p99 (closed loop, prepared requests, leases of --sessions "
        + "devices) and the anchor in the same run; a private Redis, the packaged directory and the anchor as "
        + "processes.")
public final class BenchHeartbeatCommand extends DirectoryBenchCommand {
  @Option(names = "--sessions", defaultValue = "1000", description = "Devices heartbeating (default ${DEFAULT-VALUE}).")
  int sessions;

  @Override
  int population() {
    return sessions;
  }

  @Override
  BenchReport run(DirectoryBench bench) {
    return bench.heartbeat();
  }
}
