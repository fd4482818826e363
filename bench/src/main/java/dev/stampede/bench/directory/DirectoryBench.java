package dev.stampede.bench.directory;

import dev.stampede.bench.Anchor;
import dev.stampede.bench.BenchReport;
import dev.stampede.bench.JitWarmup;
import dev.stampede.bench.QuarkusJars;
import dev.stampede.bench.cpu.ProcessCpu;
import dev.stampede.bench.load.LoadGenerator;
import dev.stampede.bench.load.LoadResult;
import dev.stampede.bench.load.LoopbackChannel;
import dev.stampede.bench.load.Operation;
import dev.stampede.bench.load.RetryPolicy;
import dev.stampede.bench.load.UnaryCalls;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.localstack.RedisServer;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The directory's benchmarks ({@code ./stampede bench heartbeat|lookup|presence-memory}): a private Redis, the
 * packaged directory service and the anchor as child processes on loopback, driven by the shared load generator with
 * prepared requests and tokens minted with random per-run keys, as auth would mint them.
 *
 * <ul>
 *   <li><b>heartbeat</b>: {@code sessions} devices registered, then a closed loop of {@code concurrency}
 *       Heartbeats spread over them — the one-round-trip path every present client takes a few times a minute.</li>
 *   <li><b>lookup</b>: {@code sessions} users present, then a closed loop of Lookups of them by 64 callers (the
 *       revocation check is cached per caller, as in production).</li>
 *   <li><b>presence-memory</b>: Redis {@code used_memory} before and after {@code devices} registrations (one device
 *       per user, two IPv4 endpoints, user ids as auth issues them), divided by the devices:
 *       {@code bytes_per_device}; then the throughput of Register (the same devices registering again, which
 *       replaces their leases and leaves memory as measured).</li>
 * </ul>
 *
 * Each writes {@code name, rps, p50_ms, p99_ms, anchor_rps, ratio} with the anchor measured in the same run, plus its
 * own fields ({@code failures} by status code: with admission on, a starved machine sheds). The directory and the
 * anchor run with admission on or both off. Not thread-safe; one run at a time.
 */
public final class DirectoryBench {
  /** How to run one benchmark. */
  public record Settings(int concurrency, int sessions, Duration warmup, Duration window, boolean admission,
      Duration jitWarmupMax) {
    public Settings {
      if (concurrency < 1 || concurrency > 10_000) {
        throw new IllegalArgumentException("--concurrency: " + concurrency + " (expected: 1..10000)");
      }
      if (sessions < 1 || sessions > 10_000_000) {
        throw new IllegalArgumentException("sessions: " + sessions + " (expected: 1..10000000)");
      }
    }

    /**
     * {@code --quick}: 2 s warm-up, 5 s window; else load until the JIT compilers are quiet ({@link JitWarmup}),
     * then 3 s and 15 s. {@code admission}: whether the directory and the anchor run with admission control (both
     * alike, so that the ratio compares like with like).
     */
    public static Settings of(boolean quick, int concurrency, int sessions, boolean admission) {
      return new Settings(concurrency, sessions, Duration.ofSeconds(quick ? 2 : 3),
          Duration.ofSeconds(quick ? 5 : 15), admission, quick ? Duration.ZERO : JitWarmup.FULL_RUN_MAX);
    }
  }

  private static final String SERVICE = "stampede.directory.v1.DirectoryService/";
  private static final MethodDescriptor<byte[], byte[]> REGISTER = UnaryCalls.rawMethod(SERVICE + "Register");
  private static final MethodDescriptor<byte[], byte[]> HEARTBEAT = UnaryCalls.rawMethod(SERVICE + "Heartbeat");
  private static final MethodDescriptor<byte[], byte[]> LOOKUP = UnaryCalls.rawMethod(SERVICE + "Lookup");
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final int LOOKERS = 64;
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private final Settings settings;
  private final PrintWriter out;
  private final SecureRandom random = new SecureRandom();
  private final String directoryKeys = KeyRing.randomSpec("bench", random);
  private final SessionTokenMinter minter =
      SessionTokenMinter.of(List.of(KeyRing.parse("directory", directoryKeys)));

  public DirectoryBench(Settings settings, PrintWriter out) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * The directory's runnable jar: {@code directory-service/target/quarkus-app/quarkus-run.jar} under
   * {@code -Dstampede.home}, else under the working directory or its parent.
   *
   * @throws IllegalStateException if it is not built, saying how to build it
   */
  public static Path locateJar() {
    return QuarkusJars.locate("directory-service", "the directory");
  }

  /** {@code bench heartbeat}. */
  public BenchReport heartbeat() {
    try (Stack stack = new Stack()) {
      List<byte[]> heartbeats = new ArrayList<>(settings.sessions());
      List<byte[]> registrations = new ArrayList<>(settings.sessions());
      List<String> tokens = new ArrayList<>(settings.sessions());
      for (int i = 0; i < settings.sessions(); i++) {
        String token = token(userId(i), deviceId(i));
        tokens.add(token);
        registrations.add(registration(token, i));
      }
      List<byte[]> replies = stack.callAll(REGISTER, registrations);
      for (int i = 0; i < replies.size(); i++) {
        heartbeats.add(DirectoryRequests.heartbeat(tokens.get(i), DirectoryRequests.leaseId(replies.get(i))));
      }
      return stack.measure("heartbeat", HEARTBEAT, heartbeats).put("sessions", settings.sessions());
    }
  }

  /** {@code bench lookup}. */
  public BenchReport lookup() {
    try (Stack stack = new Stack()) {
      List<byte[]> registrations = new ArrayList<>(settings.sessions());
      for (int i = 0; i < settings.sessions(); i++) {
        registrations.add(registration(token(userId(i), deviceId(i)), i));
      }
      stack.callAll(REGISTER, registrations);
      List<String> lookers = new ArrayList<>(LOOKERS);
      for (int i = 0; i < LOOKERS; i++) {
        lookers.add(token("looker" + i, "d"));
      }
      List<byte[]> lookups = new ArrayList<>(settings.sessions());
      for (int i = 0; i < settings.sessions(); i++) {
        lookups.add(DirectoryRequests.lookup(lookers.get(i % LOOKERS), userId(i)));
      }
      return stack.measure("lookup", LOOKUP, lookups).put("users", settings.sessions()).put("callers", LOOKERS);
    }
  }

  /** {@code bench presence-memory}: {@code settings.sessions()} is the number of devices. */
  public BenchReport presenceMemory() {
    try (Stack stack = new Stack()) {
      int warm = Math.min(1000, settings.sessions());
      List<byte[]> warmup = new ArrayList<>(warm);
      for (int i = 0; i < warm; i++) {
        warmup.add(registration(token("warm" + i, deviceId(i)), i));
      }
      stack.callAll(REGISTER, warmup); // scripts cached, connections and JIT warm
      stack.redis.command("MEMORY", "PURGE");
      long before = usedMemory(stack.redis);
      List<byte[]> registrations = new ArrayList<>(settings.sessions());
      for (int i = 0; i < settings.sessions(); i++) {
        registrations.add(registration(token(userId(i), deviceId(i)), i));
      }
      stack.callAll(REGISTER, registrations);
      stack.redis.command("MEMORY", "PURGE");
      long after = usedMemory(stack.redis);
      long keys = Long.parseLong(stack.redis.command("DBSIZE").replaceAll("[^0-9]", ""));
      if (keys != warm + settings.sessions()) {
        throw new IllegalStateException("expected " + (warm + settings.sessions()) + " users in Redis, found " + keys);
      }
      double perDevice = (after - before) / (double) settings.sessions();
      String version = info(stack.redis.command("INFO", "server"), "redis_version");
      out.printf(Locale.ROOT, "presence-memory: %.1f bytes per present device (Redis %s, %d devices, %d → %d bytes)%n",
          perDevice, version, settings.sessions(), before, after);
      // Throughput of Register itself: the same devices registering again (each replaces its own lease, so the
      // memory measured above does not change).
      return stack.measure("presence-memory", REGISTER, registrations)
          .put("bytes_per_device", BenchReport.round(perDevice, 1))
          .put("devices", settings.sessions())
          .put("redis_version", version)
          .put("used_memory_before", before)
          .put("used_memory_after", after)
          .put("rps_of", "Register");
    }
  }

  private byte[] registration(String token, int i) {
    return DirectoryRequests.register(token, "192.168." + (i >> 8 & 255) + "." + (i & 255), 50_000 + i % 10_000,
        "203.0." + (i >> 8 & 255) + "." + (i & 255), 60_000 + i % 5_000, DirectoryRequests.PORT_RESTRICTED_CONE);
  }

  /** User ids as auth issues them: "u" and 22 characters. */
  private static String userId(int i) {
    return String.format(Locale.ROOT, "u%022d", i);
  }

  private static String deviceId(int i) {
    return String.format(Locale.ROOT, "dev-%012d", i);
  }

  private String token(String user, String device) {
    Instant now = Instant.now();
    return minter.mint(new SessionClaims(user, device, "s-" + user, now, now.plus(Duration.ofHours(1))));
  }

  private void printThroughput(String what, LoadResult result, Anchor.Measurement anchor) {
    out.printf(Locale.ROOT, "%s: %.0f calls/s, p50 %.3f ms, p99 %.3f ms; anchor %.0f calls/s; ratio %.2f"
            + " (%d in flight, %d failures)%n", what, result.rps(), result.p50Millis(), result.p99Millis(),
        anchor.result().rps(), anchor.result().rps() > 0 ? result.rps() / anchor.result().rps() : Double.NaN,
        settings.concurrency(), result.failures().values().stream().mapToLong(Long::longValue).sum());
  }

  /** Failed attempts in the window by status code, e.g. {@code {"RESOURCE_EXHAUSTED": 12}} (admission shedding). */
  private static Map<String, Long> failuresByCode(LoadResult result) {
    Map<String, Long> byCode = new TreeMap<>();
    result.failures().forEach((code, n) -> byCode.put(code.name(), n));
    return byCode;
  }

  private static long usedMemory(RedisServer redis) {
    return Long.parseLong(info(redis.command("INFO", "memory"), "used_memory"));
  }

  private static String info(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalStateException(field + " not in INFO");
  }

  /** Redis, the directory and the anchor, started for one benchmark and stopped after it. */
  private final class Stack implements AutoCloseable {
    final RedisServer redis;
    final Anchor anchor;
    final JavaApp directory;
    final ManagedChannel channel;

    Stack() {
      redis = RedisServer.builder().build().start();
      Anchor a = null;
      JavaApp d = null;
      try {
        Path directoryJar = locateJar();
        // The anchor runs with the directory's adaptive-limit settings (its floor): the same admission on both sides.
        a = Anchor.start(redis.uri(), Anchor.locateJar(), settings.admission(), QuarkusJars.asEnvironment(
            QuarkusJars.applicationProperties(directoryJar), "stampede.admission.limit."));
        d = JavaApp.builder("bench-directory")
            .jar(directoryJar)
            .jvmArgs("-Xmx256m")
            .port("http", "QUARKUS_HTTP_PORT")
            .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
            .env("STAMPEDE_REDIS_URI", redis.uri())
            .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", directoryKeys)
            .env("STAMPEDE_ADMISSION_ENABLED", Boolean.toString(settings.admission()))
            // Leases must outlive the run: the benchmark measures heartbeats, not re-registrations.
            .env("STAMPEDE_DIRECTORY_LEASE_TTL", "1h")
            .readiness(Readiness.httpOk("http", "/q/health/ready"))
            .build();
        d.start().awaitReady(Duration.ofSeconds(90));
      } catch (RuntimeException e) {
        if (d != null) {
          d.stop(Duration.ofSeconds(5));
        }
        if (a != null) {
          a.close();
        }
        redis.close();
        throw e;
      }
      anchor = a;
      directory = d;
      channel = LoopbackChannel.open(directory.port("grpc"));
    }

    /**
     * Sends every request once, at most {@code concurrency} in flight, retrying a refused one after the delay the
     * server asked for (a cold server's admission control sheds at first); the replies in order.
     */
    List<byte[]> callAll(MethodDescriptor<byte[], byte[]> method, List<byte[]> requests) {
      Operation call = UnaryCalls.unary(channel, method, i -> requests.get(i), DEADLINE);
      List<CompletableFuture<byte[]>> futures = new ArrayList<>(requests.size());
      Semaphore window = new Semaphore(settings.concurrency());
      ScheduledExecutorService retries =
          Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-prepare-retries");
            t.setDaemon(true);
            return t;
          });
      try {
        for (int i = 0; i < requests.size(); i++) {
          window.acquireUninterruptibly();
          CompletableFuture<byte[]> f = new CompletableFuture<>();
          attempt(call, i, 1, f, retries);
          f.whenComplete((r, e) -> window.release());
          futures.add(f);
        }
        List<byte[]> replies = new ArrayList<>(requests.size());
        for (CompletableFuture<byte[]> f : futures) {
          try {
            replies.add(f.get(120, TimeUnit.SECONDS));
          } catch (Exception e) {
            throw new IllegalStateException(method.getBareMethodName() + " failed while preparing: " + e, e);
          }
        }
        return replies;
      } finally {
        retries.shutdownNow();
      }
    }

    private void attempt(Operation call, int index, int attempt, CompletableFuture<byte[]> result,
        ScheduledExecutorService retries) {
      call.call(index).whenComplete((reply, error) -> {
        if (error == null) {
          result.complete((byte[]) reply);
          return;
        }
        Status status = Status.fromThrowable(error);
        boolean overload = status.getCode() == Status.Code.RESOURCE_EXHAUSTED
            || status.getCode() == Status.Code.UNAVAILABLE;
        if (!overload || attempt >= 30) {
          result.completeExceptionally(error);
          return;
        }
        Metadata trailers = Status.trailersFromThrowable(error);
        String pushback = trailers == null ? null : trailers.get(PUSHBACK);
        long delay = pushback != null ? Long.parseLong(pushback) : 100L * attempt;
        retries.schedule(() -> attempt(call, index, attempt + 1, result, retries), delay, TimeUnit.MILLISECONDS);
      });
    }

    /**
     * The closed loop on the directory (each call sends the next of {@code requests}, round robin), then the anchor,
     * same concurrency and durations.
     */
    BenchReport measure(String name, MethodDescriptor<byte[], byte[]> method, List<byte[]> requests) {
      Anchor.CpuWindow cpu = new Anchor.CpuWindow(ProcessCpu.of(directory.pid()));
      AtomicLong next = new AtomicLong();
      Operation calls = UnaryCalls.unary(channel, method,
          attempt -> requests.get((int) Math.floorMod(next.getAndIncrement(), (long) requests.size())), DEADLINE);
      JitWarmup.Result jit = JitWarmup.closedLoop(ProcessCpu.of(directory.pid()), settings.jitWarmupMax(),
          settings.concurrency(), calls);
      out.printf(Locale.ROOT, "%s: %s%n", name, jit.describe());
      LoadResult result = LoadGenerator.closedLoop(settings.concurrency(), calls)
          .retry(RetryPolicy.SDK)
          .warmup(settings.warmup())
          .duration(settings.window())
          .windowListener(cpu)
          .build()
          .run();
      Anchor.Measurement a = anchor.measure(settings.concurrency(), settings.warmup(), settings.window(),
          settings.jitWarmupMax());
      printThroughput(name, result, a);
      return BenchReport.named(name).throughput(result).anchor(a.result().rps())
          .put("concurrency", settings.concurrency())
          .put("admission", settings.admission())
          .put("server_cpu_us_per_call", BenchReport.round(cpu.microsPerCall(result.successes()), 1))
          .put("anchor_server_cpu_us_per_call", BenchReport.round(a.serverMicrosPerCall(), 1))
          .put("jit_warmup_s", jit.seconds())
          .put("anchor_jit_warmup_s", a.jitWarmup().seconds())
          .put("failures", failuresByCode(result));
    }

    @Override
    public void close() {
      channel.shutdownNow();
      directory.stop(Duration.ofSeconds(15));
      anchor.close();
      redis.close();
    }
  }
}
