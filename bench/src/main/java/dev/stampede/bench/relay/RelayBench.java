package dev.stampede.bench.relay;

import dev.stampede.bench.QuarkusJars;
import dev.stampede.bench.cpu.ProcessCpu;
import dev.stampede.bench.load.LoopbackChannel;
import dev.stampede.bench.relay.RelayWire.Allocation;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.localstack.RedisServer;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relay throughput through one relay pod (the packaged {@code relay-service}, its own process) beside a raw TCP copy
 * through a copier process (two hops), measured in the same run, and the memory a stalled stream holds.
 *
 * <ul>
 *   <li><b>Relay</b>: one allocation, two clients on their own connections; the sender sends pre-encoded frames of
 *       32 KiB (then 1 KiB) whenever gRPC says it is ready, the receiver counts them without parsing. Throughput is
 *       payload bytes delivered per second in the window after a warm-up; the relay process' CPU over the window is
 *       read from {@code /proc}.</li>
 *   <li><b>TCP two hops</b>: the sender writes 64 KiB buffers into a socket, {@link TcpCopier} copies them to a
 *       second socket, the receiver reads and counts: what the kernel and one copying thread can do on this box.</li>
 *   <li><b>Stalled stream</b>: a receiver that takes its join answer and then reads nothing (64 KiB window); the
 *       sender sends until gRPC stops saying ready. The relay's own queue for that stream is read from its metrics
 *       ({@code stampede_relay_stream_buffered_max_bytes}), with the bound of everything it may hold for it
 *       ({@code stampede_relay_stream_memory_bound_bytes}) and the bytes the sender got out in all.</li>
 * </ul>
 *
 * <p>Everything on loopback; every process it starts is stopped.
 */
public final class RelayBench {
  private static final int SENDER_THRESHOLD = 256 * 1024;
  private static final Pattern METRIC = Pattern.compile("(?m)^(\\w+)(?:\\{[^}]*})? ([0-9.eE+-]+)$");

  private RelayBench() {
  }

  /** One throughput measurement. */
  public record Throughput(int frameBytes, double mbps, double framesPerSecond, double relayCpuCores) {
  }

  /** What a stalled stream holds. */
  public record Stall(long relayQueuedBytes, long relayBoundBytes, long senderBytes, boolean senderStalled) {
  }

  /**
   * One round: the relay with 32 KiB frames, then the TCP copy, back to back, so that both see the same machine.
   */
  public record Round(Throughput relay, double tcpTwoHopMbps) {
    /** This round's relay MB/s ÷ its TCP copy's. */
    public double ratio() {
      return tcpTwoHopMbps > 0 ? relay.mbps() / tcpTwoHopMbps : Double.NaN;
    }
  }

  /**
   * A whole run. On a shared machine a single measurement of each would compare two different moments; the rounds
   * alternate relay and TCP, and the run reports the median of each and the median of the rounds' ratios.
   */
  public record Result(List<Round> rounds, Throughput frames1k, Stall stall) {
    public Result {
      rounds = List.copyOf(rounds);
      if (rounds.isEmpty()) {
        throw new IllegalArgumentException("rounds: empty (expected: at least one)");
      }
    }

    /** The round with the median relay throughput (32 KiB frames); the lower median for an even count. */
    public Throughput frames32k() {
      List<Round> byRelay = new ArrayList<>(rounds);
      byRelay.sort(Comparator.comparingDouble(r -> r.relay().mbps()));
      return byRelay.get((byRelay.size() - 1) / 2).relay();
    }

    /** Median MB/s of the two-hop TCP copy over the rounds. */
    public double tcpTwoHopMbps() {
      return median(rounds.stream().mapToDouble(Round::tcpTwoHopMbps).toArray());
    }

    /** Median over the rounds of relay MB/s (32 KiB frames) ÷ the TCP copy's MB/s in the same round. */
    public double ratio() {
      return median(rounds.stream().mapToDouble(Round::ratio).toArray());
    }
  }

  /** The median (mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** {@code relay-service/target/quarkus-app/quarkus-run.jar} of this checkout ({@code -Dstampede.home}, or here). */
  public static Path locateJar() {
    return QuarkusJars.locate("relay-service", "the relay");
  }

  /**
   * Runs the whole benchmark: Redis, one relay pod and the TCP copier as processes of their own.
   *
   * @param rounds how many times relay (32 KiB frames) and TCP copy are measured, alternately
   * @param jitWarmup how long the relay forwards, unmeasured, before the first round (split between 32 KiB and
   *     1 KiB frames): a freshly started JVM interprets and compiles its hot paths for its first seconds, and a
   *     first round measured meanwhile reads a quarter of the steady rate
   * @param warmup how long each measurement runs before its window opens
   * @param window how long each measurement is counted
   */
  public static Result run(Path relayJar, int rounds, Duration jitWarmup, Duration warmup, Duration window) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds: " + rounds + " (expected: >= 1)");
    }
    if (jitWarmup == null || jitWarmup.isNegative()) {
      throw new IllegalArgumentException("jitWarmup: " + jitWarmup + " (expected: >= 0)");
    }
    String keys = KeyRing.randomSpec("bench", new SecureRandom());
    SessionTokenMinter minter = SessionTokenMinter.of(List.of(KeyRing.parse("relay", keys)));
    try (RedisServer redis = RedisServer.builder().build().start();
         JavaApp relay = relayPod(relayJar, redis.uri(), keys);
         JavaApp copier = copier()) {
      relay.start();
      copier.start();
      relay.awaitReady(Duration.ofSeconds(90));
      copier.awaitReady(Duration.ofSeconds(30));
      Pod pod = new Pod(relay, minter);
      if (!jitWarmup.isZero()) {
        Duration half = jitWarmup.dividedBy(2);
        pod.throughput(32 * 1024, Duration.ZERO, half);
        pod.throughput(1024, Duration.ZERO, jitWarmup.minus(half));
      }
      List<Round> measured = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        Throughput relayed = pod.throughput(32 * 1024, warmup, window);
        measured.add(new Round(relayed, tcpTwoHop(copier.port("tcp"), warmup, window)));
      }
      Throughput small = pod.throughput(1024, warmup, window);
      Stall stall = pod.stall();
      return new Result(measured, small, stall);
    }
  }

  private static JavaApp relayPod(Path jar, String redisUri, String keys) {
    return JavaApp.builder("bench-relay")
        .jar(Objects.requireNonNull(jar, "jar"))
        .jvmArgs("-Xmx512m")
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env("QUARKUS_HTTP_HOST", "127.0.0.1")
        .env("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1")
        .env("STAMPEDE_REDIS_URI", redisUri)
        .env("STAMPEDE_TOKEN_KEYS_RELAY", keys)
        // The pod's bandwidth budget would cap what we measure.
        .env("STAMPEDE_RELAY_CAPACITY_MAX_BYTES_PER_SECOND", "1T")
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .build();
  }

  private static JavaApp copier() {
    return JavaApp.builder("bench-tcp-copier")
        .mainClass(System.getProperty("java.class.path"), TcpCopier.class.getName())
        .jvmArgs("-Xmx64m")
        .port("tcp", TcpCopier.PORT_ENV)
        .readiness(Readiness.tcp("tcp"))
        .build();
  }

  /** A relay pod and the clients that measure it. */
  private static final class Pod {
    private final JavaApp app;
    private final SessionTokenMinter minter;
    private int pairs;

    Pod(JavaApp app, SessionTokenMinter minter) {
      this.app = app;
      this.minter = minter;
    }

    String token(String user) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      return minter.mint(new SessionClaims(user, "bench", "s-" + user, now, now.plusSeconds(3600)));
    }

    ManagedChannel channel(int window) {
      return LoopbackChannel.open(app.port("grpc"), window);
    }

    Allocation allocate(ManagedChannel channel, String owner, String peer) {
      byte[] response = ClientCalls.blockingUnaryCall(channel, RelayWire.ALLOCATE,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          RelayWire.allocateRequest(token(owner), peer));
      return RelayWire.parseAllocateResponse(response);
    }

    Throughput throughput(int frameBytes, Duration warmup, Duration window) {
      pairs++;
      String owner = "sender" + pairs;
      String peer = "receiver" + pairs;
      ManagedChannel senderChannel = channel(1024 * 1024);
      ManagedChannel receiverChannel = channel(1024 * 1024);
      try {
        Allocation a = allocate(senderChannel, owner, peer);
        Receiver receiver = new Receiver(receiverChannel, Integer.MAX_VALUE);
        Sender sender = new Sender(senderChannel, RelayWire.frame(frameBytes));
        sender.join(RelayWire.join(a.allocationId(), token(owner), ""));
        receiver.join(RelayWire.join(a.allocationId(), token(peer), a.joinToken()));
        receiver.joined.get(10, TimeUnit.SECONDS);
        sender.start();
        sleep(warmup);
        ProcessCpu cpu = ProcessCpu.supported() ? ProcessCpu.of(app.pid()) : null;
        ProcessCpu.Snapshot cpu0 = cpu == null ? null : cpu.snapshot();
        long frames0 = receiver.frames.get();
        long t0 = System.nanoTime();
        sleep(window);
        long frames1 = receiver.frames.get();
        long t1 = System.nanoTime();
        double cores = cpu == null ? Double.NaN
            : (double) cpu.snapshot().totalNanosSince(cpu0) / (t1 - t0);
        sender.stop();
        receiver.cancel();
        double seconds = (t1 - t0) / 1e9;
        double fps = (frames1 - frames0) / seconds;
        return new Throughput(frameBytes, fps * frameBytes / 1e6, fps, cores);
      } catch (Exception e) {
        throw new IllegalStateException("relay throughput with " + frameBytes + "-byte frames failed: " + e, e);
      } finally {
        senderChannel.shutdownNow();
        receiverChannel.shutdownNow();
      }
    }

    Stall stall() {
      pairs++;
      String owner = "sender" + pairs;
      String peer = "receiver" + pairs;
      ManagedChannel senderChannel = channel(1024 * 1024);
      ManagedChannel receiverChannel = channel(64 * 1024);
      try {
        Allocation a = allocate(senderChannel, owner, peer);
        Sender sender = new Sender(senderChannel, RelayWire.frame(32 * 1024));
        sender.join(RelayWire.join(a.allocationId(), token(owner), ""));
        Receiver receiver = new Receiver(receiverChannel, 1);
        receiver.join(RelayWire.join(a.allocationId(), token(peer), a.joinToken()));
        receiver.joined.get(10, TimeUnit.SECONDS);
        sender.start();
        // Stalled = no progress for a whole second (the sender's isReady stayed false).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        while (System.nanoTime() < deadline) {
          sleep(Duration.ofSeconds(1));
          long now = sender.sentBytes.get();
          if (now == last && !sender.isReady()) {
            break;
          }
          last = now;
        }
        boolean stalled = !sender.isReady();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port("http") + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        long queued = (long) metric(metrics, "stampede_relay_stream_buffered_max_bytes");
        long bound = (long) metric(metrics, "stampede_relay_stream_memory_bound_bytes");
        Stall stall = new Stall(queued, bound, sender.sentBytes.get(), stalled);
        sender.stop();
        receiver.cancel();
        return stall;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("stalled-stream measurement failed: " + e, e);
      } finally {
        senderChannel.shutdownNow();
        receiverChannel.shutdownNow();
      }
    }
  }

  /** The first sample of {@code name} in a Prometheus text exposition. */
  static double metric(String exposition, String name) {
    Matcher m = METRIC.matcher(exposition);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new IllegalStateException("the relay exposes no metric " + name);
  }

  /** Sends one pre-encoded frame whenever the call is ready, until stopped. */
  private static final class Sender extends ClientCall.Listener<byte[]> {
    private final ClientCall<byte[], byte[]> call;
    private final byte[] frame;
    private final int payload;
    final AtomicLong sentBytes = new AtomicLong();
    private volatile boolean running;

    Sender(ManagedChannel channel, byte[] frame) {
      // A few frames in flight, not one: the sender must not be what limits the relay's throughput.
      this.call = channel.newCall(RelayWire.CONNECT, CallOptions.DEFAULT.withOnReadyThreshold(SENDER_THRESHOLD));
      this.frame = frame;
      this.payload = frame.length;
      call.start(this, new Metadata());
      call.request(Integer.MAX_VALUE);
    }

    void join(byte[] join) {
      call.sendMessage(join);
    }

    void start() {
      running = true;
      onReady();
    }

    boolean isReady() {
      return call.isReady();
    }

    @Override
    public synchronized void onReady() {
      while (running && call.isReady()) {
        call.sendMessage(frame);
        sentBytes.addAndGet(payload);
      }
    }

    void stop() {
      running = false;
      call.cancel("benchmark over", null);
    }
  }

  /** Counts the frames it receives; asks for at most {@code window} messages in all (1: stalls after the join). */
  private static final class Receiver extends ClientCall.Listener<byte[]> {
    private final ClientCall<byte[], byte[]> call;
    private final boolean reading;
    final AtomicLong frames = new AtomicLong();
    final CompletableFuture<Void> joined = new CompletableFuture<>();

    Receiver(ManagedChannel channel, int window) {
      this.call = channel.newCall(RelayWire.CONNECT, CallOptions.DEFAULT);
      this.reading = window == Integer.MAX_VALUE;
      call.start(this, new Metadata());
      call.request(reading ? 64 : window);
    }

    void join(byte[] join) {
      call.sendMessage(join);
    }

    @Override
    public void onMessage(byte[] message) {
      int kind = RelayWire.kind(message);
      if (kind == RelayWire.FRAME) {
        frames.incrementAndGet();
      } else if (kind == RelayWire.JOINED) {
        joined.complete(null);
      }
      if (reading) {
        call.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      joined.completeExceptionally(status.asRuntimeException(trailers));
    }

    void cancel() {
      call.cancel("benchmark over", null);
    }
  }

  /** MB/s through {@link TcpCopier} on {@code port}. */
  static double tcpTwoHop(int port, Duration warmup, Duration window) {
    try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), port);
         Socket receiver = new Socket(InetAddress.getLoopbackAddress(), port)) {
      sender.setTcpNoDelay(true);
      receiver.setTcpNoDelay(true);
      sender.getOutputStream().write('S');
      receiver.getOutputStream().write('R');
      AtomicLong received = new AtomicLong();
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[TcpCopier.BUFFER];
        try {
          InputStream in = receiver.getInputStream();
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            received.addAndGet(n);
          }
        } catch (IOException e) {
          // the run is over
        }
      }, "bench-tcp-receiver");
      reader.setDaemon(true);
      reader.start();
      long end = System.nanoTime() + warmup.toNanos() + window.toNanos();
      long[] marks = new long[4];
      Thread writer = new Thread(() -> {
        byte[] buffer = new byte[TcpCopier.BUFFER];
        try {
          OutputStream out = sender.getOutputStream();
          while (System.nanoTime() < end) {
            out.write(buffer);
          }
        } catch (IOException e) {
          // the run is over
        }
      }, "bench-tcp-sender");
      writer.setDaemon(true);
      writer.start();
      sleep(warmup);
      marks[0] = received.get();
      marks[1] = System.nanoTime();
      sleep(window);
      marks[2] = received.get();
      marks[3] = System.nanoTime();
      sender.close();
      writer.join(5_000);
      return (marks[2] - marks[0]) / ((marks[3] - marks[1]) / 1e9) / 1e6;
    } catch (IOException e) {
      throw new UncheckedIOException("TCP two-hop measurement failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
