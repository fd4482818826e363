package dev.stampede.auth.grpc;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.auth.config.AuthSettings;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import io.quarkus.value.registry.ValueRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Proves, once a second, that this process really serves gRPC: it calls the standard health service on its own
 * port over loopback and checks that the answer carries this process's instance id and knows
 * {@code stampede.auth.v1.AuthService}. With the separate gRPC server a taken port, or a service bean that failed
 * to construct, only logs an error while the app still reports "started" (DESIGN §9); this probe is what keeps
 * readiness false then, and, after {@code stampede.auth.grpc.startup-timeout}, exits the process so that its
 * supervisor sees the failure instead of a healthy-looking process that serves nothing.
 *
 * <p>It also publishes the service's gRPC health status: {@code SERVING} only while the probe passes, Redis is
 * connected and the server is not draining.
 */
@Singleton
public class ServingMonitor {
  private static final Logger LOG = Logger.getLogger(ServingMonitor.class);
  static final String SERVICE = AuthServiceGrpc.SERVICE_NAME;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final Lifecycle lifecycle;
  private final SharedRedis redis;
  private final GrpcHealthStorage health;
  private final Config config;
  private final Instance<ValueRegistry> values;
  private final Duration startupTimeout;
  private final Duration drainTimeout;
  private final ScheduledExecutorService timer;
  private final AtomicReference<String> problem = new AtomicReference<>("not probed yet");
  private volatile boolean serving;
  private volatile boolean everServed;
  private volatile ManagedChannel channel;
  private NioEventLoopGroup loop;
  private int channelPort;
  private long startedNanos;

  @Inject
  public ServingMonitor(Lifecycle lifecycle, SharedRedis redis, GrpcHealthStorage health, Config config,
      Instance<ValueRegistry> values, AuthSettings settings) {
    this.values = values;
    this.lifecycle = lifecycle;
    this.redis = redis;
    this.health = health;
    this.config = config;
    this.startupTimeout = settings.grpc().startupTimeout();
    this.drainTimeout = settings.drainTimeout();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "auth-serving-probe");
      t.setDaemon(true);
      return t;
    });
  }

  void onStart(@Observes StartupEvent event) {
    startedNanos = System.nanoTime();
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    timer.scheduleWithFixedDelay(this::probe, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Shutdown, before the gRPC server stops: readiness and health go down, new calls are refused with
   * {@code DRAINING}, and calls already accepted get up to {@code stampede.auth.drain-timeout} to finish.
   */
  void onStop(@Observes @Priority(1) ShutdownEvent event) {
    lifecycle.startDraining();
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (lifecycle.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (lifecycle.inFlight() > 0) {
      LOG.warnf("drain timeout: %d calls still in flight are cut off", lifecycle.inFlight());
    } else {
      LOG.info("drained: no calls in flight");
    }
    timer.shutdownNow();
    ManagedChannel c = channel;
    if (c != null) {
      c.shutdownNow();
    }
    if (loop != null) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Whether the gRPC server answered the last probe as this process. */
  public boolean serving() {
    return serving;
  }

  /** Why the last probe failed, or null. */
  public String problem() {
    return serving ? null : problem.get();
  }

  private void probe() {
    try {
      if (!redis.isConnected()) {
        // The shared connection connects on demand; a pod that is not ready gets no traffic to demand it.
        redis.connect();
      }
      boolean ok = probeOnce();
      serving = ok;
      boolean up = ok && redis.isConnected() && !lifecycle.draining();
      health.setStatus(SERVICE, up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
      everServed |= ok;
      if (!everServed && startupTimeout.toNanos() > 0
          && System.nanoTime() - startedNanos > startupTimeout.toNanos()) {
        LOG.errorf("gRPC is not serving %d s after start (%s): exiting", startupTimeout.toSeconds(), problem.get());
        timer.shutdown();
        Quarkus.asyncExit(1);
      }
    } catch (RuntimeException e) {
      LOG.debug("serving probe failed", e);
    }
  }

  private boolean probeOnce() {
    ManagedChannel c = channel();
    if (c == null) {
      problem.set("the gRPC server has not bound a port");
      return false;
    }
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    try {
      HealthCheckResponse answer = HealthGrpc.newBlockingStub(c)
          .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
          .withDeadlineAfter(1, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(SERVICE).build());
      Metadata h = headers.get();
      if (h == null || !lifecycle.instanceId().equals(h.get(Lifecycle.INSTANCE))) {
        problem.set("the gRPC port answers, but not as this process (port taken by another one?)");
        return false;
      }
      if (answer.getStatus() != ServingStatus.SERVING && answer.getStatus() != ServingStatus.NOT_SERVING) {
        problem.set(SERVICE + " is not registered on the gRPC server");
        return false;
      }
      return true;
    } catch (io.grpc.StatusRuntimeException e) {
      problem.set("gRPC health probe failed: " + e.getStatus().getCode()
          + (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND ? " (" + SERVICE + " not registered)" : ""));
      return false;
    }
  }

  /** A channel to the server's current port, or null while it has none. Only the timer thread calls this. */
  private ManagedChannel channel() {
    int port = probePort();
    if (port <= 0) {
      return null;
    }
    ManagedChannel c = channel;
    if (c != null && port == channelPort) {
      return c;
    }
    if (c != null) {
      c.shutdownNow();
    }
    if (loop == null) {
      loop = new NioEventLoopGroup(1);
    }
    c = NettyChannelBuilder.forAddress(probeHost(), port)
        .usePlaintext()
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .build();
    channel = c;
    channelPort = port;
    return c;
  }

  private String probeHost() {
    String host = config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0");
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
  }

  /** The port the server actually bound (Quarkus registers it once started), else the configured one. */
  private int probePort() {
    boolean test = LaunchMode.current() == LaunchMode.TEST;
    ValueRegistry.RuntimeKey<Integer> key = test ? GrpcServer.GRPC_TEST_PORT : GrpcServer.GRPC_PORT;
    if (values.isResolvable() && values.get().containsKey(key)) {
      return values.get().get(key);
    }
    return test
        ? config.getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001)
        : config.getOptionalValue("quarkus.grpc.server.port", Integer.class).orElse(9000);
  }
}
