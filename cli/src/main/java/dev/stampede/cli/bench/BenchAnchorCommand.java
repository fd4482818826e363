package dev.stampede.cli.bench;

import dev.stampede.bench.Anchor;
import dev.stampede.bench.BenchReport;
import dev.stampede.bench.JitWarmup;
import dev.stampede.localstack.RedisServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stampede bench anchor}: the reference throughput every service benchmark divides by. */
@Command(
    name = "anchor",
    mixinStandardHelpOptions = true,
    description = "Throughput and latency of the anchor (the services' Quarkus gRPC mode, one Redis EVALSHA per "
        + "call), closed loop, with a private Redis; the reference of every benchmark's ratio.")
public final class BenchAnchorCommand implements Callable<Integer> {
  @Mixin
  BenchOptions options;

  @Option(names = "--concurrency", defaultValue = "64", description = "Calls in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--admission", description = "Run the anchor with admission control on (default: off, the bare "
      + "minimum); the difference is what admission costs an admitted call.")
  boolean admission;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    if (concurrency < 1 || concurrency > 10_000) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--concurrency: " + concurrency + " (expected: 1..10000)");
    }
    PrintWriter out = spec.commandLine().getOut();
    Duration warmup = options.quick ? Duration.ofSeconds(2) : Duration.ofSeconds(3);
    Duration window = options.quick ? Duration.ofSeconds(5) : Duration.ofSeconds(15);
    try (RedisServer redis = RedisServer.builder().build().start();
         Anchor anchor = Anchor.start(redis.uri(), Anchor.locateJar(), admission)) {
      Anchor.Measurement m = anchor.measure(concurrency, warmup, window,
          options.quick ? Duration.ZERO : JitWarmup.FULL_RUN_MAX);
      BenchReport report = BenchReport.named("anchor")
          .throughput(m.result())
          .anchor(m.result().rps())
          .put("concurrency", concurrency)
          .put("admission", admission)
          .put("server_cpu_us_per_call", m.serverMicrosPerCall())
          .put("jit_warmup_s", m.jitWarmup().seconds());
      out.printf(Locale.ROOT, "anchor: %.0f calls/s, p50 %.3f ms, p99 %.3f ms, server CPU %.1f us/call (%d in flight,"
              + " %d failures)%n", m.result().rps(), m.result().p50Millis(), m.result().p99Millis(),
          m.serverMicrosPerCall(), concurrency, m.result().failures().values().stream().mapToLong(Long::longValue)
              .sum());
      if (options.json != null) {
        report.write(options.json);
        out.println("wrote " + options.json);
      }
    }
    out.flush();
    return 0;
  }
}
