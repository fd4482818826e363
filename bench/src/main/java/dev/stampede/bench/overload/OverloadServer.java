package dev.stampede.bench.overload;

import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.Priority;
import dev.stampede.admission.executor.WorkerPool;
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
  private static final byte[] RESPONSE = {0x08, 0x01};

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
        .addMethod(method, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> response) ->
            pool.submit(() -> burn(burn)).whenComplete((v, e) -> answer(admission, response, e))))
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

  private static void answer(Admission admission, StreamObserver<byte[]> response, Throwable failure) {
    try {
      if (failure == null) {
        response.onNext(RESPONSE);
        response.onCompleted();
      } else {
        response.onError(admission.errors().toStatusException(failure));
      }
    } catch (RuntimeException cancelled) {
      // The client is gone (the naive server finished work nobody waits for): nothing to send.
    }
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
