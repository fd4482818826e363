package dev.stampede.relay.ops;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.relay.RelayNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: UP only while the relay's own gRPC server answers (self-probe), the shared Redis
 * connection is up and the last registry heartbeats reached it, and the pod is not draining.
 */
@Readiness
@ApplicationScoped
public class RelayReadiness implements HealthCheck {
  @Inject
  RelayNode relay;
  @Inject
  RelayLifecycle lifecycle;
  @Inject
  SharedRedis sharedRedis;

  @Override
  public HealthCheckResponse call() {
    boolean grpc = lifecycle.grpcServing();
    boolean redis = sharedRedis.isConnected() && relay.isRedisReachable();
    boolean draining = relay.isDraining();
    var response = HealthCheckResponse.named("relay")
        .status(grpc && redis && !draining)
        .withData("address", relay.address())
        .withData("grpc", grpc)
        .withData("redis", redis)
        .withData("draining", draining)
        .withData("activeStreams", relay.stats().activeStreams());
    if (!grpc) {
      response.withData("grpcProblem", String.valueOf(lifecycle.grpcProblem()));
    }
    return response.build();
  }
}
