package dev.stampede.directory.health;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import dev.stampede.admission.redis.SharedRedis;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.ConfigProvider;
import dev.stampede.directory.config.DirectoryConfig;
import org.jboss.logging.Logger;

/**
 * Proves from the outside that this process's gRPC server serves the directory: it calls
 * {@code grpc.health.v1.Health/Check} for {@code stampede.directory.v1.DirectoryService} on its own port over
 * loopback, and accepts only an answer {@code SERVING} that carries this process's instance id.
 *
 * <p>Why: with Quarkus' separate gRPC server, a taken port or a {@code @GrpcService} bean that fails to construct
 * is logged and the application still reports "started" while serving nothing (DESIGN §9). Readiness depends on this
 * probe, so such a process is never ready; and if it has not served within {@code stampede.directory.grpc-start-timeout}
 * (default 30 s; 0 = wait forever) it exits with status 1 instead of lingering — a crash the orchestrator can see
 * (Redis being down never causes this: the probe does not touch Redis).
 *
 * <p>Probes every second. The service's {@code grpc.health.v1} status follows readiness: {@code SERVING} only while
 * the probe passes, Redis is connected and the pod is not draining.
 */
@Singleton
public class GrpcSelfProbe {
  private static final Logger LOG = Logger.getLogger(GrpcSelfProbe.class);
  private static final String SERVICE = "stampede.directory.v1.DirectoryService";

  private final ServingState state;
  private final SharedRedis redis;
  private final GrpcHealthStorage health;
  private final Duration startTimeout;
  private ScheduledExecutorService executor;
  private ManagedChannel channel;
  private String target;
  private long startedAt;
  private boolean everServed;

  @Inject
  public GrpcSelfProbe(ServingState state, SharedRedis redis, GrpcHealthStorage health, DirectoryConfig config) {
    this.state = state;
    this.redis = redis;
    this.health = health;
    this.startTimeout = config.grpcStartTimeout();
  }

  void onStart(@Observes StartupEvent event) {
    health.setStatus(SERVICE, HealthCheckResponse.ServingStatus.NOT_SERVING);
    String host = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.host", String.class)
        .orElse("0.0.0.0");
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    String portKey = LaunchMode.current() == LaunchMode.TEST ? "quarkus.grpc.server.test-port"
        : "quarkus.grpc.server.port";
    int port = ConfigProvider.getConfig().getOptionalValue(portKey, Integer.class)
        .orElse(LaunchMode.current() == LaunchMode.TEST ? 9001 : 9000);
    target = host + ":" + port;
    channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "directory-grpc-self-probe");
      t.setDaemon(true);
      return t;
    });
    startedAt = System.nanoTime();
    executor.schedule(this::probe, 0, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
      channel.shutdownNow();
    }
  }

  private void probe() {
    boolean serving = false;
    String problem;
    AtomicReference<Metadata> headers = new AtomicReference<>();
    try {
      HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
          .withDeadlineAfter(1, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(SERVICE).build());
      String instance = headers.get() == null ? null : headers.get().get(ServingInterceptor.INSTANCE);
      HealthCheckResponse.ServingStatus status = response.getStatus();
      if (!state.instanceId().equals(instance)) {
        problem = "another process answers on gRPC " + target;
      } else if (status != HealthCheckResponse.ServingStatus.SERVING
          && status != HealthCheckResponse.ServingStatus.NOT_SERVING) {
        problem = SERVICE + " is not registered on " + target + " (" + status + ")";
      } else {
        serving = true;
        problem = null;
      }
    } catch (StatusRuntimeException e) {
      problem = "gRPC " + target + " does not serve " + SERVICE + " (" + e.getStatus().getCode() + ")";
    } catch (RuntimeException e) {
      problem = "gRPC self-probe of " + target + " failed (" + e.getClass().getSimpleName() + ")";
    }
    if (serving != state.grpcServing()) {
      if (serving) {
        LOG.infof("gRPC serves %s on %s", SERVICE, target);
      } else {
        LOG.errorf("gRPC not serving: %s", problem);
      }
    }
    state.grpcProbed(serving, problem);
    if (!redis.isConnected()) {
      // The shared connection reconnects on demand; a pod that is not ready gets no traffic, so ask here.
      redis.connect();
    }
    // gRPC health says what readiness says, for clients and probes that use grpc.health.v1.
    boolean up = serving && redis.isConnected() && !state.draining();
    health.setStatus(SERVICE, up ? HealthCheckResponse.ServingStatus.SERVING
        : HealthCheckResponse.ServingStatus.NOT_SERVING);
    everServed |= serving;
    if (!everServed && !startTimeout.isZero()
        && System.nanoTime() - startedAt > startTimeout.toNanos()) {
      LOG.errorf("gRPC did not serve within %s (%s); exiting so that this process does not pass for healthy",
          startTimeout, problem);
      Quarkus.asyncExit(1);
      return;
    }
    executor.schedule(this::probe, 1, TimeUnit.SECONDS);
  }
}
