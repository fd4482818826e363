package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.relay.RelayBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stampede bench relay}: throughput through one relay pod beside a raw two-hop TCP copy, same run. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {
        "Relay throughput (MB/s and frames/s, 32 KiB and 1 KiB frames) through one relay pod, beside a raw "
            + "loopback TCP copy through a copier process (two hops) measured in the same run, and the memory "
            + "the relay holds for a stalled stream.",
        "Writes mbps_32k, fps_32k, mbps_1k, fps_1k, tcp_2hop_mbps, ratio (goal >= 0.55) and stalled_stream_bytes "
            + "(goal <= 1 MiB); relay and TCP copy are measured alternately in rounds (2 with --quick, "
            + "else 3) and the medians reported. Needs relay-service built. --quick takes about 50 s."})
public final class BenchRelayCommand implements Callable<Integer> {
  private static final long MIB = 1024 * 1024;

  @Mixin
  BenchOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    Duration jitWarmup = options.quick ? Duration.ofSeconds(6) : Duration.ofSeconds(20);
    Duration warmup = options.quick ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
    Duration window = options.quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
    int rounds = options.quick ? 2 : 3;
    RelayBench.Result r = RelayBench.run(RelayBench.locateJar(), rounds, jitWarmup, warmup, window);
    for (RelayBench.Round round : r.rounds()) {
      out.printf(Locale.ROOT, "round: relay 32 KiB %8.1f MB/s (relay CPU %.2f cores), TCP two hops %8.1f MB/s, "
          + "ratio %.3f%n", round.relay().mbps(), round.relay().relayCpuCores(), round.tcpTwoHopMbps(), round.ratio());
    }
    out.printf(Locale.ROOT, "median of %d rounds:%n", rounds);
    out.printf(Locale.ROOT, "relay, 32 KiB frames:  %8.1f MB/s  %9.0f frames/s  (relay CPU %.2f cores)%n",
        r.frames32k().mbps(), r.frames32k().framesPerSecond(), r.frames32k().relayCpuCores());
    out.printf(Locale.ROOT, "relay, 1 KiB frames:   %8.1f MB/s  %9.0f frames/s  (relay CPU %.2f cores)%n",
        r.frames1k().mbps(), r.frames1k().framesPerSecond(), r.frames1k().relayCpuCores());
    out.printf(Locale.ROOT, "TCP copy, two hops:    %8.1f MB/s%n", r.tcpTwoHopMbps());
    out.printf(Locale.ROOT, "ratio (relay 32 KiB / TCP): %.3f  (goal >= 0.55)%n", r.ratio());
    out.printf(Locale.ROOT, "stalled stream: the relay queues %d bytes (goal <= %d); all its layers may hold %d;"
            + " the sender got %d bytes out before it %s%n", r.stall().relayQueuedBytes(), MIB,
        r.stall().relayBoundBytes(), r.stall().senderBytes(),
        r.stall().senderStalled() ? "stalled" : "was stopped (it never stalled!)");
    out.printf(Locale.ROOT, "(relay warmed up unmeasured for %s first; warm-up %s, window %s per measurement)%n",
        jitWarmup, warmup, window);
    if (options.json != null) {
      BenchReport.named("relay")
          .put("mbps_32k", r.frames32k().mbps())
          .put("fps_32k", r.frames32k().framesPerSecond())
          .put("mbps_1k", r.frames1k().mbps())
          .put("fps_1k", r.frames1k().framesPerSecond())
          .put("tcp_2hop_mbps", r.tcpTwoHopMbps())
          .put("ratio", r.ratio())
          .put("stalled_stream_bytes", r.stall().relayQueuedBytes())
          .put("stalled_stream_bound_bytes", r.stall().relayBoundBytes())
          .put("stalled_sender_bytes", r.stall().senderBytes())
          .put("sender_stalled", r.stall().senderStalled())
          .put("relay_cpu_cores_32k", r.frames32k().relayCpuCores())
          .put("relay_cpu_cores_1k", r.frames1k().relayCpuCores())
          .put("rounds", rounds)
          .put("mbps_32k_rounds", r.rounds().stream().map(x -> BenchReport.round(x.relay().mbps(), 3)).toList())
          .put("tcp_2hop_mbps_rounds",
              r.rounds().stream().map(x -> BenchReport.round(x.tcpTwoHopMbps(), 3)).toList())
          .put("jit_warmup_s", jitWarmup.toSeconds())
          .put("warmup_s", warmup.toSeconds())
          .put("window_s", window.toSeconds())
          .write(options.json);
      out.println("wrote " + options.json);
    }
    out.flush();
    return 0;
  }
}
