package dev.stampede.bench.overload;

import dev.stampede.bench.Anchor;
import dev.stampede.bench.BenchReport;
import dev.stampede.bench.JitWarmup;
import dev.stampede.bench.cpu.ProcessCpu;
import dev.stampede.bench.load.LoadGenerator;
import dev.stampede.bench.load.LoadResult;
import dev.stampede.bench.load.LoopbackChannel;
import dev.stampede.bench.load.Operation;
import dev.stampede.bench.load.RetryPolicy;
import dev.stampede.bench.load.UnaryCalls;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code ./stampede bench overload}: does admission keep goodput at capacity when 10× more clients knock?
 *
 * <ol>
 *   <li><b>Protected</b>: one {@link OverloadServer} process with admission on, warmed up until its JIT compilers
 *       are quiet (a burst of 32 calls in flight, so the refusal path is compiled too). Its capacity first: a closed
 *       loop of 2 calls (the one worker is never idle, nothing is refused) — {@code capacity_rps}, and the server's
 *       call-handling CPU per admitted call. Then, on the same warm process, an open loop of Poisson arrivals at
 *       {@code x × capacity} for each multiple (1×, 2×, 5×, 10×) with a per-attempt deadline; clients retry after
 *       the server's pushback.</li>
 *   <li><b>Unprotected</b>: for each multiple a fresh process with admission off (the naive server keeps a run's
 *       dead work queued), warmed up the same way, under the same open loop; clients retry at once (the 2007
 *       client).</li>
 *   <li><b>Bare rejection</b>: the server in {@code reject} mode, warmed up the same way, under Poisson arrivals at
 *       the largest multiple's rate without retries — {@code anchor_reject_us} — and, printed only, under a closed
 *       loop of 16. On loopback the arrival pattern sets most of a rejection's cost: a closed loop's calls arrive in
 *       batches that share each wake-up of the event loop and each socket read and write, Poisson arrivals mostly
 *       one by one (a bare rejection measured 7-12 µs batched, 32-37 µs under Poisson arrivals at 4 100-4 700/s).
 *       </li>
 * </ol>
 *
 * <p>{@code shed_cost_us} is the server CPU per refused call: the CPU of the server's call-handling threads (gRPC
 * I/O event loop, admission sweeper, GC) in the window, minus the admitted calls' share (per-call cost from the
 * capacity phase), divided by the refusals; {@code anchor_reject_us} is the same threads' CPU per call of the
 * reject-only server. {@code admitted_p99_ms} is the p99 queue delay of successful calls as the server measured it
 * (the wait for admission's permit plus the wait for the worker: what admission bounds), carried back in each answer;
 * {@code latency_p99_ms} is their client-side p99 latency, which also holds the burn itself, the transport and the
 * load generator's own scheduling on the same cores.
 */
public final class OverloadBench {
  /**
   * The server threads whose CPU is the cost of handling calls around the work: the gRPC I/O event loop (where calls
   * are received, admitted or refused, and answered), admission's sweeper, and the garbage collector. Not the
   * worker (the burn itself), not the JIT compilers, not the JVM's housekeeping — those are the same whether calls
   * are refused or not, and would drown microseconds per call in noise.
   */
  static final Predicate<String> CALL_HANDLING = name -> name.startsWith(OverloadServer.IO_THREAD_PREFIX)
      || name.startsWith("stampede-admiss") || name.startsWith("GC Thread") || name.startsWith("G1 ");

  private static final byte[] REQUEST = {0x08, 0x01};

  private final Settings settings;
  private final PrintWriter out;

  public OverloadBench(Settings settings, PrintWriter out) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Runs everything; returns the JSON tree of issue 3 (capacity_rps, runs, anchor_reject_us). */
  public Map<String, Object> run() {
    if (!ProcessCpu.supported()) {
      throw new IllegalStateException("this benchmark reads server CPU from /proc (Linux only)");
    }
    out.printf(Locale.ROOT, "overload: burn %d us on one worker; %s per run (after %s warm-up)%n",
        settings.burn.toNanos() / 1000, settings.window.toMillis() / 1000.0 + " s",
        settings.warmup.toMillis() / 1000.0 + " s");

    List<Map<String, Object>> runs = new ArrayList<>();
    double capacityRps;
    double admittedCpuMicros;
    // One protected process for the capacity and every multiple, warmed until its JIT is quiet: the steady state of a
    // running server. A fresh process per run measured the compiler as much as admission (C2 took 0.8-1.5 s of CPU
    // in each 4 s window, beside the one busy worker).
    try (Server server = start(OverloadServer.Mode.PROTECTED)) {
      server.warmUp(settings.jitWarmupMax);
      Phase capacity = server.measure(LoadGenerator.closedLoop(2, server.operation())
          .warmup(Duration.ofMillis(500)).duration(settings.calibration).drain(settings.drain));
      capacityRps = capacity.result.rps();
      if (capacity.result.successes() == 0) {
        throw new IllegalStateException("no call succeeded while measuring capacity (" + capacity.result
            + "): is this machine overloaded?");
      }
      admittedCpuMicros = capacity.cpuMicros / Math.max(1, capacity.result.successes());
      out.printf(Locale.ROOT, "capacity: %.0f calls/s, p99 %.2f ms; server CPU handling calls %.1f us/call%n",
          capacityRps, capacity.result.p99Millis(), admittedCpuMicros);
      printHeader();
      for (int x : settings.multiples) {
        runs.add(row(OverloadServer.Mode.PROTECTED, x, server.openLoop(OverloadServer.Mode.PROTECTED,
            x * capacityRps), capacityRps, admittedCpuMicros));
      }
      // Printed only: the refusals' cost when calls arrive in batches, to set beside the bare rejection's.
      Phase batched = server.measure(LoadGenerator.closedLoop(16, server.operation())
          .warmup(Duration.ZERO).duration(settings.calibration).drain(settings.drain));
      long refused = batched.result.failures(Status.Code.RESOURCE_EXHAUSTED);
      out.printf(Locale.ROOT, "protected, closed loop of 16: %.2f us per refusal over %d refusals (%d admitted)%n",
          (batched.cpuMicros - batched.result.successes() * admittedCpuMicros) / Math.max(1, refused), refused,
          batched.result.successes());
    }
    // The naive server keeps the dead work of a run queued: a fresh process for each.
    for (int x : settings.multiples) {
      try (Server server = start(OverloadServer.Mode.UNPROTECTED)) {
        server.warmUp(settings.baselineJitWarmupMax);
        runs.add(row(OverloadServer.Mode.UNPROTECTED, x, server.openLoop(OverloadServer.Mode.UNPROTECTED,
            x * capacityRps), capacityRps, admittedCpuMicros));
      }
    }

    // The bare rejection under the arrivals of the largest multiple (the run its shed cost is compared with), and
    // under a closed loop of 16 (calls arrive in batches: the least a rejection costs on this transport).
    double rate = Arrays.stream(settings.multiples).max().orElse(1) * capacityRps;
    double anchorReject;
    try (Server server = start(OverloadServer.Mode.REJECT)) {
      server.warmUp(settings.baselineJitWarmupMax);
      Phase open = server.measure(LoadGenerator.openLoop(rate, server.operation()).retry(RetryPolicy.immediate(1))
          .warmup(Duration.ZERO).duration(settings.calibration).drain(settings.drain)
          .maxOutstanding(settings.maxOutstanding));
      Phase batched = server.measure(LoadGenerator.closedLoop(16, server.operation())
          .warmup(Duration.ZERO).duration(settings.calibration).drain(settings.drain));
      long openCalls = open.result.failures(Status.Code.RESOURCE_EXHAUSTED);
      long batchedCalls = batched.result.failures(Status.Code.RESOURCE_EXHAUSTED);
      anchorReject = open.cpuMicros / Math.max(1, openCalls);
      out.printf(Locale.ROOT, "bare rejection (an interceptor that only closes the call): %.2f us/call over %d "
          + "Poisson arrivals at %.0f/s (anchor_reject_us); %.2f us/call over %d calls of a closed loop of 16%n",
          anchorReject, openCalls, rate, batched.cpuMicros / Math.max(1, batchedCalls), batchedCalls);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("capacity_rps", BenchReport.round(capacityRps, 1));
    json.put("runs", runs);
    json.put("anchor_reject_us", BenchReport.round(anchorReject, 2));
    return json;
  }

  private void printHeader() {
    out.printf(Locale.ROOT, "%-12s %7s %10s %7s %13s %13s %9s %9s  %s%n",
        "mode", "offered", "goodput/s", "ratio", "queue p99", "latency p99", "rejected", "shed us",
        "other failures");
  }

  /** One run's JSON row, printed as a table line too. */
  private Map<String, Object> row(OverloadServer.Mode mode, int x, Phase p, double capacityRps,
      double admittedCpuMicros) {
    long rejected = p.result.failures(Status.Code.RESOURCE_EXHAUSTED);
    // Null when nothing was refused, or when the admitted calls' share (from the capacity phase) exceeds what
    // was measured: then the two phases ran under different conditions and a number would be made up.
    double refusalCpu = p.cpuMicros - p.result.successes() * admittedCpuMicros;
    Double shed = rejected == 0 || !(refusalCpu >= 0) ? null : refusalCpu / rejected;
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("mode", mode.label());
    run.put("offered_x", x);
    run.put("goodput_rps", BenchReport.round(p.result.rps(), 1));
    run.put("goodput_ratio", BenchReport.round(p.result.rps() / capacityRps, 3));
    run.put("admitted_p99_ms", p.queueMicros == null || p.queueMicros.getTotalCount() == 0
        ? null : BenchReport.round(p.queueMicros.getValueAtPercentile(99) / 1000.0, 3));
    run.put("latency_p99_ms", BenchReport.round(p.result.p99Millis(), 3));
    run.put("rejected", rejected);
    run.put("shed_cost_us", shed == null ? null : BenchReport.round(shed, 2));
    Map<Status.Code, Long> others = new EnumMap<>(Status.Code.class);
    others.putAll(p.result.failures());
    others.remove(Status.Code.RESOURCE_EXHAUSTED);
    out.printf(Locale.ROOT, "%-12s %6dx %10.0f %7.3f %10.2f ms %10.2f ms %9d %9s  %s%n", mode.label(), x,
        p.result.rps(), p.result.rps() / capacityRps,
        p.queueMicros == null ? Double.NaN : p.queueMicros.getValueAtPercentile(99) / 1000.0,
        p.result.p99Millis(), rejected,
        shed == null ? "-" : String.format(Locale.ROOT, "%.2f", shed), others.isEmpty() ? "-" : others);
    if (p.result.dropped() > 0) {
      out.printf(Locale.ROOT, "  warning: the load generator dropped %d arrivals (%d requests were already "
          + "outstanding): the server was offered less than %dx%n", p.result.dropped(), settings.maxOutstanding, x);
    }
    if (p.result.maxLagMillis() > 50) {
      out.printf(Locale.ROOT, "  warning: the load generator fell up to %.0f ms behind its schedule: this machine "
          + "is too busy for the numbers of this run to mean much%n", p.result.maxLagMillis());
    }
    return run;
  }

  private Server start(OverloadServer.Mode mode) {
    JavaApp app = JavaApp.builder("overload-" + mode.label())
        .mainClass(settings.classpath, OverloadServer.class.getName())
        .jvmArgs("-Xmx256m")
        .args("--mode", mode.label(), "--burn-us", Long.toString(settings.burn.toNanos() / 1000))
        .port("grpc", OverloadServer.PORT_ENV)
        .env(Boolean.getBoolean("stampede.bench.verbose") ? Map.of("OVERLOAD_DEBUG", "1") : Map.of())
        .readiness(Readiness.tcp("grpc"))
        .build();
    app.start();
    try {
      app.awaitReady(Duration.ofSeconds(30));
      return new Server(app);
    } catch (RuntimeException e) {
      app.kill();
      throw e;
    }
  }

  /** One measured phase: the load result and the server's CPU in the window (outside the worker and the JIT). */
  private static final class Phase {
    final LoadResult result;
    final double cpuMicros;
    /** The server-measured queue delay of successful calls, when the phase recorded it. */
    final Histogram queueMicros;

    Phase(LoadResult result, double cpuMicros, Histogram queueMicros) {
      this.result = result;
      this.cpuMicros = cpuMicros;
      this.queueMicros = queueMicros;
    }
  }

  /** Whether the load generator's measured window is open. */
  private static final class QueueWindow implements LoadGenerator.WindowListener {
    volatile boolean open;

    @Override
    public void opened() {
      open = true;
    }

    @Override
    public void closed() {
      open = false;
    }
  }

  /** A running overload server process and a channel to it. */
  private final class Server implements AutoCloseable {
    private final JavaApp app;
    private final ManagedChannel channel;

    Server(JavaApp app) {
      this.app = app;
      this.channel = LoopbackChannel.open(app.port("grpc"));
    }

    Operation operation() {
      return UnaryCalls.unary(channel, UnaryCalls.rawMethod(OverloadServer.METHOD), attempt -> REQUEST,
          settings.deadline);
    }

    /**
     * {@link #operation()}, recording into {@code queue} the queue delay carried by the answers of attempts sent
     * while the measured window was open: the same attempts whose latency the load generator counts (not the
     * retries sent while it drains).
     */
    Operation operation(Recorder queue, QueueWindow window) {
      Operation calls = operation();
      return attempt -> {
        boolean measured = window.open;
        return calls.call(attempt).thenApply(answer -> {
          long micros = OverloadServer.queuedMicros((byte[]) answer);
          if (measured && micros >= 0) {
            queue.recordValue(micros);
          }
          return answer;
        });
      };
    }

    /**
     * Warms a fresh server process up, not measured: 32 calls in flight, far more than one worker takes, so that
     * both the admitted and the refused paths are JIT-compiled; first for the fixed warm-up, then until the server's
     * compilers are quiet ({@link JitWarmup}, at most {@code jitWarmupMax}). Interpreted code costs 10-100 times more
     * per call, and a busy C2 compiler takes CPU from the worker on a 2-core machine.
     */
    void warmUp(Duration jitWarmupMax) {
      Operation calls = operation();
      Consumer<Duration> load = d -> LoadGenerator.closedLoop(32, calls).warmup(Duration.ZERO).duration(d)
          .drain(Duration.ofSeconds(1)).build().run();
      load.accept(settings.warmup);
      JitWarmup.Result jit = JitWarmup.run(ProcessCpu.of(app.pid()), jitWarmupMax, load);
      if (!jit.elapsed().isZero()) {
        out.printf(Locale.ROOT, "  %s: %s%n", app.name(), jit.describe());
      }
    }

    /**
     * An open loop of Poisson arrivals at {@code rate}: protected clients retry after the server's pushback,
     * unprotected ones at once (the 2007 client).
     */
    Phase openLoop(OverloadServer.Mode mode, double rate) {
      RetryPolicy retry = mode == OverloadServer.Mode.PROTECTED
          ? RetryPolicy.obeyPushback(settings.maxAttempts, Duration.ofMillis(100))
          : RetryPolicy.immediate(settings.maxAttempts);
      Recorder queue = new Recorder(3);
      QueueWindow window = new QueueWindow();
      Phase p = measure(LoadGenerator.openLoop(rate, operation(queue, window))
          .warmup(Duration.ZERO).duration(settings.window).drain(settings.drain).retry(retry)
          .maxOutstanding(settings.maxOutstanding), window);
      return new Phase(p.result, p.cpuMicros, queue.getIntervalHistogram());
    }

    Phase measure(LoadGenerator.Builder load) {
      return measure(load, new LoadGenerator.WindowListener() { });
    }

    /** Runs {@code load}, measuring the server's CPU in its window, with {@code also} told when it opens and closes. */
    Phase measure(LoadGenerator.Builder load, LoadGenerator.WindowListener also) {
      Anchor.CpuWindow window = new Anchor.CpuWindow(ProcessCpu.of(app.pid()));
      LoadResult result = load.windowListener(new LoadGenerator.WindowListener() {
        @Override
        public void opened() {
          window.opened();
          also.opened();
        }

        @Override
        public void closed() {
          window.closed();
          also.closed();
        }
      }).build().run();
      double cpu = window.start() == null || window.end() == null
          ? Double.NaN
          : window.end().threadNanosSince(window.start(), CALL_HANDLING) / 1000.0;
      if (Boolean.getBoolean("stampede.bench.verbose") && window.end() != null) {
        window.end().threads().values().stream()
            .map(t -> Map.entry(t.name(), window.end().threadNanosSince(window.start(), n -> n.equals(t.name()))))
            .distinct()
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .limit(8)
            .forEach(e -> System.err.printf(Locale.ROOT, "  %-16s %8.1f ms%n", e.getKey(), e.getValue() / 1e6));
        System.err.println("  " + result);
      }
      return new Phase(result, cpu, null);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The naive server may hold seconds of dead work: no need to let it finish.
      app.kill();
    }
  }

  /** What to run. Immutable. */
  public static final class Settings {
    /**
     * Requests the load generator keeps outstanding. Protected clients wait for the retry slot the server gave them,
     * which under 10× overload lies up to the calendar's horizon (60 s) ahead: 10 s of arrivals at 10× a capacity of
     * ~480/s is ~48 000 waiting requests. The earlier bound of 20 000 was reached half-way through the window, after
     * which the generator dropped arrivals and the server was offered less than the run's multiple.
     */
    static final int MAX_OUTSTANDING = 200_000;

    final String classpath;
    final Duration burn;
    final Duration warmup;
    final Duration calibration;
    final Duration window;
    final Duration drain;
    final Duration deadline;
    final int[] multiples;
    final int maxAttempts;
    final int maxOutstanding;
    /** The longest the protected server is warmed up for its compilers to go quiet. */
    final Duration jitWarmupMax;
    /** The same for the unprotected and the reject-only servers. */
    final Duration baselineJitWarmupMax;

    private Settings(String classpath, Duration burn, Duration warmup, Duration calibration, Duration window,
        Duration drain, Duration deadline, int[] multiples, int maxAttempts, int maxOutstanding,
        Duration jitWarmupMax, Duration baselineJitWarmupMax) {
      this.classpath = classpath;
      this.burn = burn;
      this.warmup = warmup;
      this.calibration = calibration;
      this.window = window;
      this.drain = drain;
      this.deadline = deadline;
      this.multiples = multiples.clone();
      this.maxAttempts = maxAttempts;
      this.maxOutstanding = maxOutstanding;
      this.jitWarmupMax = jitWarmupMax;
      this.baselineJitWarmupMax = baselineJitWarmupMax;
    }

    /**
     * The standard runs: 2 ms burn, 1×/2×/5×/10×, 500 ms deadline per attempt, up to 20 attempts per request;
     * {@code quick} (under 2 minutes on 2 cores): 1 s warm-up, then until the server's compilers are quiet for at most
     * 16 s (the protected server) or 4 s (the others: the naive server collapses however well compiled), and 4 s
     * windows; else 2 s, at most {@link JitWarmup#FULL_RUN_MAX} for every server, and 10 s.
     *
     * @param classpath the class path of the server processes (this JVM's, usually)
     */
    public static Settings standard(boolean quick, String classpath) {
      return new Settings(classpath, Duration.ofMillis(2),
          quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2),
          quick ? Duration.ofSeconds(3) : Duration.ofSeconds(6),
          quick ? Duration.ofSeconds(4) : Duration.ofSeconds(10),
          Duration.ofSeconds(1), Duration.ofMillis(500), new int[] {1, 2, 5, 10}, 20, MAX_OUTSTANDING,
          quick ? Duration.ofSeconds(16) : JitWarmup.FULL_RUN_MAX,
          quick ? Duration.ofSeconds(4) : JitWarmup.FULL_RUN_MAX);
    }

    /** Shorter everything, for tests: only the given multiples, windows of {@code window}. */
    public Settings shortened(Duration window, int... multiples) {
      return new Settings(classpath, burn, Duration.ofMillis(500), window, window, Duration.ofMillis(500), deadline,
          multiples, maxAttempts, maxOutstanding, Duration.ZERO, Duration.ZERO);
    }
  }
}
