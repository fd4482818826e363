package dev.stampede.bench.auth;

import dev.stampede.bench.Anchor;
import dev.stampede.bench.BenchReport;
import dev.stampede.bench.JitWarmup;
import dev.stampede.bench.cpu.ProcessCpu;
import dev.stampede.bench.load.LoadGenerator;
import dev.stampede.bench.load.LoadResult;
import dev.stampede.bench.load.Operation;
import dev.stampede.bench.load.RetryPolicy;
import dev.stampede.localstack.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The auth benchmarks of issue 4, on the shared load generator, with Redis (AOF, as in production) and auth-service
 * started through {@code localstack}:
 *
 * <ul>
 *   <li>{@link #resume()}: Resume throughput and latency under a closed loop of {@code concurrency} calls — each
 *       call spends a device's ticket and returns the rotated one — beside the anchor (gRPC + one {@code EVALSHA})
 *       measured in the same run. Accounts are seeded and logged in once with cheap Argon2 parameters (set-up only:
 *       Resume never hashes).</li>
 *   <li>{@link #login()}: password log-in throughput at the default Argon2id parameters (OWASP minimum) under a
 *       closed loop, then Resume on the tickets those log-ins produced in the same run ({@code resume_to_login}),
 *       then the server CPU per refused log-in under an open loop at 10× the log-in capacity.</li>
 * </ul>
 */
public final class AuthBench {
  private static final String PASSWORD = "bench password";
  /** Argon2 parameters for set-up log-ins of the resume benchmark: cheap, because Resume itself never hashes. */
  private static final Map<String, String> CHEAP_ARGON2 = Map.of(
      "STAMPEDE_AUTH_ARGON2_MEMORY_KIB", "64", "STAMPEDE_AUTH_ARGON2_ITERATIONS", "1");
  private static final Duration RESUME_DEADLINE = Duration.ofSeconds(2);
  private static final Duration LOGIN_DEADLINE = Duration.ofSeconds(5);

  /** How long and how hard to run. */
  public record Settings(Duration warmup, Duration window, int resumeConcurrency, int loginConcurrency,
      Duration jitWarmupMax) {
    /** @throws IllegalArgumentException naming the setting out of range */
    public Settings {
      if (resumeConcurrency < 1 || resumeConcurrency > 4096) {
        throw new IllegalArgumentException("concurrency: " + resumeConcurrency + " (expected: 1..4096)");
      }
      if (loginConcurrency < 1 || loginConcurrency > 256) {
        throw new IllegalArgumentException("login concurrency: " + loginConcurrency + " (expected: 1..256)");
      }
    }

    /** {@code --quick}: 2 s warm-ups and 5 s windows, no waiting for the JIT. */
    public static Settings quick(int resumeConcurrency) {
      return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), resumeConcurrency, loginThreads(),
          Duration.ZERO);
    }

    /** The full run: load until the servers' JIT compilers are quiet ({@link JitWarmup}), 3 s warm-ups, 15 s windows. */
    public static Settings full(int resumeConcurrency) {
      return new Settings(Duration.ofSeconds(3), Duration.ofSeconds(15), resumeConcurrency, loginThreads(),
          JitWarmup.FULL_RUN_MAX);
    }

    /** Twice the hashing pool (one thread per core): the pool never idles, its queue stays short. */
    private static int loginThreads() {
      return 2 * Runtime.getRuntime().availableProcessors();
    }
  }

  private final Settings settings;
  private final PrintWriter out;
  private final Path authJar;
  private final Path anchorJar;

  public AuthBench(Settings settings, PrintWriter out) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.out = Objects.requireNonNull(out, "out");
    this.authJar = AuthServer.locateJar();
    this.anchorJar = Anchor.locateJar();
  }

  /** {@code ./stampede bench resume}: at least name, rps, p50_ms, p99_ms, anchor_rps, ratio. */
  public BenchReport resume() {
    requireProcCpu();
    int k = settings.resumeConcurrency();
    String load = loadAverage();
    try (RedisServer redis = RedisServer.builder().appendOnly(true).build().start();
         AuthServer auth = AuthServer.start("bench-auth", redis.uri(), authJar, CHEAP_ARGON2);
         Anchor anchor = Anchor.start(redis.uri(), anchorJar)) {
      ManagedChannel channel = auth.channel();
      try {
        int devices = 2 * k;
        out.printf(Locale.ROOT, "resume: seeding and logging in %d devices...%n", devices);
        auth.seed(channel, "bench-resume-", devices, PASSWORD);
        TicketPool pool = new TicketPool(devices);
        logInAll(channel, "bench-resume-", devices, pool);

        JitWarmup.Result jit = JitWarmup.closedLoop(ProcessCpu.of(auth.pid()), settings.jitWarmupMax(), k,
            pool.resume(channel, RESUME_DEADLINE));
        out.printf(Locale.ROOT, "resume: %s%n", jit.describe());
        Anchor.CpuWindow cpu = new Anchor.CpuWindow(ProcessCpu.of(auth.pid()));
        LoadResult resume = LoadGenerator.closedLoop(k, pool.resume(channel, RESUME_DEADLINE))
            .retry(RetryPolicy.SDK)
            .warmup(settings.warmup()).duration(settings.window()).windowListener(cpu).build().run();
        Anchor.Measurement a = anchor.measure(k, settings.warmup(), settings.window(), settings.jitWarmupMax());

        double serverUs = cpu.microsPerCall(resume.successes());
        out.printf(Locale.ROOT, "resume: %.0f/s, p50 %.3f ms, p99 %.3f ms, server CPU %.1f us/call; anchor %.0f/s "
                + "(%.1f us/call); ratio %.2f; %d in flight, failures %s%n", resume.rps(), resume.p50Millis(),
            resume.p99Millis(), serverUs, a.result().rps(), a.serverMicrosPerCall(),
            a.result().rps() > 0 ? resume.rps() / a.result().rps() : Double.NaN, k, failures(resume));
        return BenchReport.named("resume")
            .throughput(resume)
            .anchor(a.result().rps())
            .put("concurrency", k)
            .put("server_cpu_us_per_call", serverUs)
            .put("anchor_server_cpu_us_per_call", a.serverMicrosPerCall())
            .put("failures", total(resume))
            .put("tickets_dropped", pool.dropped())
            .put("jit_warmup_s", jit.seconds())
            .put("anchor_jit_warmup_s", a.jitWarmup().seconds())
            .put("admission", true)
            .put("load_average", load);
      } finally {
        close(channel);
      }
    }
  }

  /** {@code ./stampede bench login}: name, rps, p50_ms, p99_ms, resume_rps, resume_to_login, rejected log-in CPU. */
  public BenchReport login() {
    requireProcCpu();
    String load = loadAverage();
    int accounts = 64;
    int k = settings.loginConcurrency();
    try (RedisServer redis = RedisServer.builder().appendOnly(true).build().start();
         AuthServer auth = AuthServer.start("bench-auth", redis.uri(), authJar, Map.of())) {
      ManagedChannel channel = auth.channel();
      try {
        auth.seed(channel, "bench-login-", accounts, PASSWORD);
        int resumeK = Math.min(settings.resumeConcurrency(), 64);
        TicketPool pool = new TicketPool(2 * resumeK);
        AtomicLong device = new AtomicLong();

        out.printf(Locale.ROOT, "login: closed loop of %d log-ins at the default Argon2id parameters...%n", k);
        JitWarmup.Result jit = JitWarmup.closedLoop(ProcessCpu.of(auth.pid()), settings.jitWarmupMax(), k,
            loginOperation(channel, accounts, device, null));
        out.printf(Locale.ROOT, "login: %s%n", jit.describe());
        Anchor.CpuWindow loginCpu = new Anchor.CpuWindow(ProcessCpu.of(auth.pid()));
        LoadResult login = LoadGenerator.closedLoop(k, loginOperation(channel, accounts, device, pool))
            .warmup(settings.warmup()).duration(settings.window()).windowListener(loginCpu).build().run();
        if (login.successes() == 0) {
          throw new IllegalStateException("no log-in succeeded (" + login + "): is this machine overloaded?");
        }
        double loginCpuUs = loginCpu.microsPerCall(login.successes());

        int k2 = Math.max(1, Math.min(resumeK, pool.size() / 2));
        JitWarmup.Result resumeJit = JitWarmup.closedLoop(ProcessCpu.of(auth.pid()), settings.jitWarmupMax(), k2,
            pool.resume(channel, RESUME_DEADLINE));
        out.printf(Locale.ROOT, "login: resume %s%n", resumeJit.describe());
        LoadResult resume = LoadGenerator.closedLoop(k2, pool.resume(channel, RESUME_DEADLINE))
            .retry(RetryPolicy.SDK)
            .warmup(settings.warmup()).duration(settings.window()).build().run();

        double offered = 10 * login.rps();
        out.printf(Locale.ROOT, "login: open loop at %.0f/s (10x capacity) to measure refusals...%n", offered);
        Anchor.CpuWindow refusedCpu = new Anchor.CpuWindow(ProcessCpu.of(auth.pid()));
        LoadResult storm = LoadGenerator.openLoop(offered, loginOperation(channel, accounts, device, null))
            .retry(RetryPolicy.NONE).warmup(settings.warmup()).duration(settings.window())
            .windowListener(refusedCpu).build().run();
        long rejected = storm.failures(Status.Code.RESOURCE_EXHAUSTED);
        Double rejectedUs = null;
        if (rejected > 0 && refusedCpu.start() != null && refusedCpu.end() != null) {
          double spentUs = refusedCpu.end().totalNanosSince(refusedCpu.start()) / 1000.0;
          double refusalsUs = spentUs - storm.successes() * loginCpuUs;
          rejectedUs = refusalsUs > 0 ? refusalsUs / rejected : null;
        }

        double ratio = resume.rps() / login.rps();
        out.printf(Locale.ROOT, "login: %.1f/s, p50 %.1f ms, p99 %.1f ms, server CPU %.1f ms/log-in; resume %.0f/s "
                + "(resume_to_login %.0f); at 10x: %d admitted, %d refused, %s us CPU per refusal; failures %s%n",
            login.rps(), login.p50Millis(), login.p99Millis(), loginCpuUs / 1000, resume.rps(), ratio,
            storm.successes(), rejected, rejectedUs == null ? "n/a" : String.format(Locale.ROOT, "%.1f", rejectedUs),
            failures(login));
        return BenchReport.named("login")
            .throughput(login)
            .put("argon2", "m=19456,t=2,p=1")
            .put("concurrency", k)
            .put("server_cpu_ms_per_login", loginCpuUs / 1000)
            // Whole numbers: BigDecimal rounding would print 1000.0 as 1E+3.
            .put("resume_rps", Math.round(resume.rps()))
            .put("resume_to_login", Math.round(ratio))
            .put("jit_warmup_s", jit.seconds())
            .put("offered_rps_at_10x", Math.round(offered))
            .put("admitted_at_10x", storm.successes())
            .put("rejected_at_10x", rejected)
            .put("rejected_login_cpu_us", rejectedUs)
            .put("failures", total(login))
            .put("load_average", load);
      } finally {
        close(channel);
      }
    }
  }

  /**
   * Logs in each device of accounts {@code prefix + i} once, one at a time, and pools its ticket (a cold server's
   * admission may refuse some at first: those are retried after the server's pushback).
   */
  private static void logInAll(ManagedChannel channel, String prefix, int count, TicketPool pool) {
    for (int i = 0; i < count; i++) {
      String deviceId = "dev-" + i;
      byte[] request = AuthWire.login(prefix + i, PASSWORD, deviceId);
      byte[] answer = Calls.obeyingPushback("set-up log-in",
          () -> Calls.call(channel, AuthWire.LOGIN, request, LOGIN_DEADLINE));
      pool.offer(AuthWire.ticket(answer), deviceId);
    }
  }

  /** One log-in per attempt, round robin over the accounts, each on a new device; pools tickets if asked. */
  private static Operation loginOperation(ManagedChannel channel, int accounts, AtomicLong device, TicketPool pool) {
    return attempt -> {
      long n = device.incrementAndGet();
      String deviceId = "dev-" + n;
      CompletableFuture<byte[]> call = Calls.call(channel, AuthWire.LOGIN,
          AuthWire.login("bench-login-" + (n % accounts), PASSWORD, deviceId), LOGIN_DEADLINE);
      return pool == null ? call : call.whenComplete((answer, error) -> {
        if (error == null) {
          pool.offer(AuthWire.ticket(answer), deviceId);
        }
      });
    };
  }

  private static long total(LoadResult r) {
    return r.failures().values().stream().mapToLong(Long::longValue).sum();
  }

  private static String failures(LoadResult r) {
    StringBuilder sb = new StringBuilder();
    r.failures().forEach((code, n) -> {
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(code).append(' ').append(n);
      }
    });
    return sb.length() == 0 ? "none" : sb.toString();
  }

  private static void requireProcCpu() {
    if (!ProcessCpu.supported()) {
      throw new IllegalStateException("this benchmark reads server CPU from /proc (Linux only)");
    }
  }

  /** The 1-minute load average when the run started (how busy the machine was), or null. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
