package dev.stampede.bench.overload;

import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.Priority;
import dev.stampede.admission.executor.WorkerPool;
import dev.stampede.admission.grpc.AdmissionContext;
import dev.stampede.bench.load.UnaryCalls;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The overload benchmark's server, run as its own process so that its CPU can be read from {@code /proc}: one gRPC
 * method, {@value #METHOD}, whose handler burns a fixed amount of CPU ({@code --burn-us}, default 2000) on a
 * one-thread worker pool — so capacity is set by that pool, not by the CPU the load generator shares. The transport
 * runs on one Netty event loop with handlers on it, like the services' separate gRPC server.
 *
 * <ul>
 *   <li>{@code --mode protected}: the admission interceptor in front (library defaults), a protected worker pool;</li>
 *   <li>{@code --mode unprotected}: admission off — an unbounded queue in front of the one worker, no limits, no
 *       deadline checks: it keeps burning CPU for clients that have given up;</li>
 *   <li>{@code --mode reject}: an interceptor that only closes every call with {@code RESOURCE_EXHAUSTED} (the
 *       reference cost of a bare rejection).</li>
 * </ul>
 *
 * <p>The port comes from the environment variable {@value #PORT_ENV}.
 */
public final class OverloadServer {
  public static final String METHOD = "bench.Overload/Work";
  public static final String PORT_ENV = "OVERLOAD_PORT";
  /** Kernel name prefix of the worker thread (comm keeps 15 bytes of "stampede-pool-burn-1"). */
  public static final String WORKER_THREAD_PREFIX = "stampede-pool-b";
  /** Kernel name prefix of the gRPC transport threads (boss and the one event loop). */
  public static final String IO_THREAD_PREFIX = "overload-";

  /** How the server treats load. */
  public enum Mode {
    PROTECTED, UNPROTECTED, REJECT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private OverloadServer() {
  }

  public static void main(String[] args) throws Exception {
    Mode mode = Mode.PROTECTED;
    long burnNanos = TimeUnit.MICROSECONDS.toNanos(2000);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode":
          mode = Mode.valueOf(args[++i].toUpperCase(Locale.ROOT));
          break;
        case "--burn-us":
          burnNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[++i]));
          break;
        default:
          throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    String port = System.getenv(PORT_ENV);
    if (port == null) {
      throw new IllegalArgumentException(PORT_ENV + " is not set");
    }

    Admission admission = Admission.builder("overload")
        .config(AdmissionConfig.builder().enabled(mode == Mode.PROTECTED).build())
        .policies(MethodPolicies.builder().method(METHOD, Priority.LOGIN).build())
        .build();
    WorkerPool pool = admission.newWorkerPool("burn", 1, 64);
    long burn = burnNanos;
    MethodDescriptor<byte[], byte[]> method = UnaryCalls.rawMethod(METHOD);
    ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Overload")
        .addMethod(method, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> response) -> {
          // Queue delay: the wait for admission's permit, then for the worker (the naive server's only queue).
          AdmissionContext admitted = AdmissionContext.current();
          long queued = admitted == null ? 0 : admitted.queuedNanos();
          long submitted = System.nanoTime();
          pool.submit(() -> {
            long waited = queued + System.nanoTime() - submitted;
            burn(burn);
            return waited;
          }).whenComplete((waited, e) -> answer(admission, response, waited, e));
        }))
        .build();
    ServerInterceptor interceptor = mode == Mode.REJECT ? new RejectAll() : admission.interceptor();

    NioEventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("overload-boss", true));
    NioEventLoopGroup worker = new NioEventLoopGroup(1, new DefaultThreadFactory("overload-io", true));
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(worker)
        .channelType(NioServerSocketChannel.class)
        .directExecutor()
        .addService(ServerInterceptors.intercept(service, interceptor))
        .build()
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      pool.close();
      admission.close();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }, "shutdown"));
    System.out.println("overload server (" + mode.label() + ", burn " + burn / 1000 + " us) on " + port);
    if (System.getenv("OVERLOAD_DEBUG") != null && admission.enabled()) {
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "debug");
        t.setDaemon(true);
        return t;
      }).scheduleAtFixedRate(() -> System.out.printf(Locale.ROOT,
          "limit %d inflight %d queued %d overloaded %s | pool queued %d | horizon %.2f s%n",
          admission.calls().limit(), admission.calls().inflight(), admission.calls().queued(),
          admission.calls().isOverloaded(), pool.queued(), admission.calendar().horizonSeconds()),
          250, 250, TimeUnit.MILLISECONDS);
    }
    server.awaitTermination();
  }

  private static void answer(Admission admission, StreamObserver<byte[]> response, Long queuedNanos,
      Throwable failure) {
    try {
      if (failure == null) {
        response.onNext(response(TimeUnit.NANOSECONDS.toMicros(queuedNanos)));
        response.onCompleted();
      } else {
        response.onError(admission.errors().toStatusException(failure));
      }
    } catch (RuntimeException cancelled) {
      // The client is gone (the naive server finished work nobody waits for): nothing to send.
    }
  }

  /**
   * The answer: a protobuf message with field 1 = 1 and field 2 = the call's queue delay on the server in
   * microseconds (varint), so that the client can report the queue delay of admitted calls without the load
   * generator's own scheduling in it.
   */
  static byte[] response(long queuedMicros) {
    byte[] out = new byte[3 + 10];
    out[0] = 0x08;
    out[1] = 0x01;
    out[2] = 0x10;
    int n = 3;
    long v = Math.max(0, queuedMicros);
    while ((v & ~0x7FL) != 0) {
      out[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    return java.util.Arrays.copyOf(out, n);
  }

  /** The queue delay in a {@link #response}, in microseconds; -1 when the message carries none. */
  static long queuedMicros(byte[] response) {
    if (response == null || response.length < 4 || response[2] != 0x10) {
      return -1;
    }
    long v = 0;
    for (int i = 3, shift = 0; i < response.length && shift < 64; i++, shift += 7) {
      v |= (long) (response[i] & 0x7F) << shift;
      if ((response[i] & 0x80) == 0) {
        return v;
      }
    }
    return -1;
  }

  /** Burns {@code nanos} of this thread's CPU time. */
  static long burn(long nanos) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    long x = 1;
    while (mx.getCurrentThreadCpuTime() - start < nanos) {
      for (int i = 0; i < 500; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    return x;
  }

  /** Closes every call at once, before reading anything: the floor of what a rejection can cost. */
  static final class RejectAll implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      call.close(Status.RESOURCE_EXHAUSTED, new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }
}
