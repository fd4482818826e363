package dev.stampede.bench;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The anchor of every service benchmark: the {@code bench-anchor} Quarkus app (the services' gRPC server mode, one
 * {@code EVALSHA} per call) started as a child process on loopback, and its closed-loop throughput measured with the
 * shared load generator in the same run as the service — so that reports can give {@code ratio = rps / anchor_rps}
 * on a noisy machine.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().build().start();
 *      Anchor anchor = Anchor.start(redis.uri(), Anchor.locateJar())) {
 *   Anchor.Measurement a = anchor.measure(64, Duration.ofSeconds(2), Duration.ofSeconds(10));
 *   report.throughput(service).anchor(a.result().rps());
 * }
 * }</pre>
 */
public final class Anchor implements AutoCloseable {
  /** The anchor's method. */
  public static final String TOUCH = "stampede.bench.v1.Anchor/Touch";
  /** {@code TouchRequest{key: "k"}} encoded once. */
  private static final byte[] REQUEST = {0x0A, 0x01, 'k'};

  private final JavaApp app;

  private Anchor(JavaApp app) {
    this.app = app;
  }

  /**
   * The anchor app's runnable jar: {@code bench-anchor/target/quarkus-app/quarkus-run.jar} under
   * {@code -Dstampede.home} (set by the {@code ./stampede} launcher), else under the working directory or its
   * parent.
   *
   * @throws IllegalStateException if it is not built, saying how to build it
   */
  public static Path locateJar() {
    return QuarkusJars.locate("bench-anchor", "the anchor");
  }

  /**
   * Starts the anchor against {@code redisUri} and waits until it is ready (gRPC serving, Redis reachable).
   *
   * @throws IllegalStateException if it does not become ready within 60 s (with the tail of its log)
   */
  public static Anchor start(String redisUri, Path jar) {
    return start(redisUri, jar, false);
  }

  /**
   * Starts the anchor, with admission control on or off (off by default: the bare minimum; on: to measure what
   * admission costs an admitted call).
   */
  public static Anchor start(String redisUri, Path jar, boolean admission) {
    return start(redisUri, jar, admission, Map.of());
  }

  /**
   * Starts the anchor with admission control on or off and extra environment for it: a service benchmark hands over
   * the service's own admission settings (e.g. its limit floor), so that both run with the same admission.
   */
  public static Anchor start(String redisUri, Path jar, boolean admission, Map<String, String> env) {
    JavaApp app = JavaApp.builder("bench-anchor")
        .jar(Objects.requireNonNull(jar, "jar"))
        .jvmArgs("-Xmx256m")
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env(env)
        .env("STAMPEDE_REDIS_URI", redisUri)
        .env("STAMPEDE_ADMISSION_ENABLED", Boolean.toString(admission))
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .build();
    app.start();
    try {
      app.awaitReady(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      app.stop(Duration.ofSeconds(5));
      throw e;
    }
    return new Anchor(app);
  }

  /**
   * Closed loop of {@code concurrency} {@code Touch} calls ({@link RetryPolicy#SDK} clients, which matters only with
   * admission on); also reads the anchor's CPU per call.
   */
  public Measurement measure(int concurrency, Duration warmup, Duration duration) {
    return measure(concurrency, warmup, duration, Duration.ZERO);
  }

  /**
   * {@link #measure(int, Duration, Duration)} after loading the anchor until its JIT compilers are quiet (at most
   * {@code jitWarmupMax}; zero: no such wait) — as the service it is compared with was.
   */
  public Measurement measure(int concurrency, Duration warmup, Duration duration, Duration jitWarmupMax) {
    ManagedChannel channel = LoopbackChannel.open(app.port("grpc"));
    try {
      Operation touch = UnaryCalls.unary(channel, UnaryCalls.rawMethod(TOUCH), attempt -> REQUEST,
          Duration.ofSeconds(5));
      JitWarmup.Result jit = JitWarmup.closedLoop(ProcessCpu.of(app.pid()), jitWarmupMax, concurrency, touch);
      CpuWindow window = new CpuWindow(ProcessCpu.of(app.pid()));
      LoadResult result = LoadGenerator.closedLoop(concurrency, touch)
          .retry(RetryPolicy.SDK)
          .warmup(warmup)
          .duration(duration)
          .windowListener(window)
          .build()
          .run();
      return new Measurement(result, window.microsPerCall(result.successes()), jit);
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public JavaApp app() {
    return app;
  }

  @Override
  public void close() {
    app.stop(Duration.ofSeconds(10));
  }

  /** The anchor's throughput and server CPU per call in one run. */
  public static final class Measurement {
    private final LoadResult result;
    private final double serverMicrosPerCall;
    private final JitWarmup.Result jitWarmup;

    Measurement(LoadResult result, double serverMicrosPerCall, JitWarmup.Result jitWarmup) {
      this.result = result;
      this.serverMicrosPerCall = serverMicrosPerCall;
      this.jitWarmup = jitWarmup;
    }

    /** How the anchor was warmed up before the window. */
    public JitWarmup.Result jitWarmup() {
      return jitWarmup;
    }

    public LoadResult result() {
      return result;
    }

    /** Server process CPU per successful call in the window, in microseconds (NaN if unknown). */
    public double serverMicrosPerCall() {
      return serverMicrosPerCall;
    }
  }

  /** Reads a process' CPU when the measurement window opens and when it closes. */
  public static final class CpuWindow implements LoadGenerator.WindowListener {
    private final ProcessCpu cpu;
    private volatile ProcessCpu.Snapshot start;
    private volatile ProcessCpu.Snapshot end;

    public CpuWindow(ProcessCpu cpu) {
      this.cpu = cpu;
    }

    @Override
    public void opened() {
      start = cpu.snapshot();
    }

    @Override
    public void closed() {
      end = cpu.snapshot();
    }

    /** The snapshot at the window's start (null before). */
    public ProcessCpu.Snapshot start() {
      return start;
    }

    /** The snapshot at the window's end (null before). */
    public ProcessCpu.Snapshot end() {
      return end;
    }

    /** Process CPU in the window per call, in microseconds (NaN without data). */
    public double microsPerCall(long calls) {
      if (start == null || end == null || calls == 0) {
        return Double.NaN;
      }
      return end.totalNanosSince(start) / 1000.0 / calls;
    }
  }
}
