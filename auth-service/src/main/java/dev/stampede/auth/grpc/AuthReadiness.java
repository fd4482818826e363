package dev.stampede.auth.grpc;

import dev.stampede.admission.redis.SharedRedis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: up only while gRPC serves as this process ({@link ServingMonitor}), Redis is connected
 * and the server is not draining.
 */
@Readiness
@ApplicationScoped
public class AuthReadiness implements HealthCheck {
  private final ServingMonitor monitor;
  private final SharedRedis redis;
  private final Lifecycle lifecycle;

  @Inject
  public AuthReadiness(ServingMonitor monitor, SharedRedis redis, Lifecycle lifecycle) {
    this.monitor = monitor;
    this.redis = redis;
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    boolean grpc = monitor.serving();
    boolean store = redis.isConnected();
    boolean draining = lifecycle.draining();
    HealthCheckResponseBuilder b = HealthCheckResponse.named("auth")
        .status(grpc && store && !draining)
        .withData("grpc", grpc ? "serving" : String.valueOf(monitor.problem()))
        .withData("redis", store ? "connected" : "unreachable")
        .withData("draining", draining);
    return b.build();
  }
}
