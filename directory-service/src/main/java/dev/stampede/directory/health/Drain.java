package dev.stampede.directory.health;

import dev.stampede.directory.config.DirectoryConfig;
import dev.stampede.directory.domain.DrainingException;
import dev.stampede.directory.watch.PresenceHub;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown, first thing on SIGTERM: readiness goes down, new calls are refused with {@code UNAVAILABLE}
 * ({@code DRAINING}, short retry delay: another pod can take them), open watches end the same way (their clients
 * re-subscribe elsewhere and get a fresh snapshot), and calls in flight get up to
 * {@code stampede.directory.drain.timeout} to finish before the gRPC server stops. Leases live in Redis, so nothing
 * else needs saving.
 */
@Singleton
public class Drain {
  private static final Logger LOG = Logger.getLogger(Drain.class);

  private final ServingState state;
  private final PresenceHub hub;
  private final GrpcHealthStorage health;
  private final Duration timeout;

  @Inject
  public Drain(ServingState state, PresenceHub hub, GrpcHealthStorage health, DirectoryConfig config) {
    this.state = state;
    this.hub = hub;
    this.health = health;
    this.timeout = config.drain().timeout();
  }

  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    state.startDraining();
    health.setStatus("stampede.directory.v1.DirectoryService", ServingStatus.NOT_SERVING);
    hub.closeAll(new DrainingException());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (state.inflight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (state.inflight() > 0) {
      LOG.warnf("drain: %d calls still in flight after %s; stopping anyway", state.inflight(), timeout);
    } else {
      LOG.info("drain: no calls in flight; stopping");
    }
  }
}
