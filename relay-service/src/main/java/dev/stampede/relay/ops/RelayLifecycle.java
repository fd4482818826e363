package dev.stampede.relay.ops;

import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.relay.RelayNode;
import dev.stampede.relay.config.RelayConfig;
import dev.stampede.relay.drain.DrainReport;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Start and stop of the relay pod.
 *
 * <p>Start: the registry heartbeat and allocation refresh begin, and the gRPC self-probe runs every few seconds;
 * if the relay's own gRPC server has not answered within {@code stampede.relay.startup-timeout} (port taken, service
 * failed to bind), the pod logs why and exits with status 1 rather than pretend to run.
 *
 * <p>SIGTERM: before Quarkus stops the gRPC server, the pod drains ({@link RelayNode#drain}): readiness and gRPC
 * health turn NOT_SERVING, allocations move to other pods, connected sides are told, and the remaining streams are
 * closed after {@code stampede.relay.drain.grace}.
 */
@Singleton
public class RelayLifecycle {
  private static final Logger LOG = Logger.getLogger(RelayLifecycle.class);
  private static final long PROBE_PERIOD_MS = 1_000;

  @Inject
  RelayNode relay;
  @Inject
  RelayConfig config;
  @Inject
  Config raw;
  @Inject
  ProbeEcho echo;
  @Inject
  Instance<GrpcHealthStorage> health;

  private ScheduledExecutorService probes;
  private volatile GrpcSelfProbe probe;
  private volatile boolean everServed;

  void onStart(@Observes StartupEvent event) {
    relay.start();
    int port = RelayProducer.grpcPort(raw);
    probe = new GrpcSelfProbe(port, echo.nonce());
    probes = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "relay-self-probe");
      t.setDaemon(true);
      return t;
    });
    long started = System.nanoTime();
    long timeout = config.startupTimeout().toNanos();
    probes.scheduleWithFixedDelay(() -> {
      if (relay.isDraining()) {
        return;
      }
      boolean ok = probe.probe();
      everServed |= ok;
      if (!everServed && System.nanoTime() - started > timeout) {
        LOG.errorf("relay gRPC server on port %d is not serving after %s (%s): exiting", port,
            config.startupTimeout(), probe.lastProblem());
        Quarkus.asyncExit(1);
        probes.shutdown();
      }
    }, 0, PROBE_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    for (GrpcHealthStorage storage : health) {
      storage.setStatus(RelayServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
      storage.setStatus(GrpcHealthStorage.DEFAULT_SERVICE_NAME, ServingStatus.NOT_SERVING);
    }
    DrainReport report = relay.drain(config.drain().grace());
    LOG.infof("relay drained: %s", report);
    if (probes != null) {
      probes.shutdownNow();
    }
    if (probe != null) {
      probe.close();
    }
  }

  /** Whether the relay's own gRPC server answered the last self-probe. */
  boolean grpcServing() {
    GrpcSelfProbe p = probe;
    return p != null && p.isServing();
  }

  String grpcProblem() {
    GrpcSelfProbe p = probe;
    return p == null ? "not started" : p.lastProblem();
  }
}
