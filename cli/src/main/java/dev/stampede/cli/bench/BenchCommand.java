package dev.stampede.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stampede bench NAME [--quick] [--json FILE]}: the benchmarks. Each prints a table and, with {@code --json},
 * writes its report ({@code dev.stampede.bench.BenchReport}: at least name, rps, p50_ms, p99_ms, anchor_rps and
 * ratio where a throughput is measured). Add a benchmark by listing its command class here.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark on this machine (loopback only) and print its numbers.",
    subcommands = {
        BenchOverloadCommand.class,
        BenchAnchorCommand.class,
        BenchResumeCommand.class,
        BenchLoginCommand.class,
        BenchHeartbeatCommand.class,
        BenchLookupCommand.class,
        BenchPresenceMemoryCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark name");
  }
}
