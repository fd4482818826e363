package dev.stampede.directory.health;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while this process's gRPC server demonstrably serves the directory and the pod is not draining. */
@Readiness
@Singleton
public class GrpcReadiness implements HealthCheck {
  private final ServingState state;

  @Inject
  public GrpcReadiness(ServingState state) {
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("directory-grpc");
    if (state.draining()) {
      return b.down().withData("problem", "draining").build();
    }
    String problem = state.grpcProblem();
    return problem == null ? b.up().build() : b.down().withData("problem", problem).build();
  }
}
