package dev.stampede.chaos.experiment;

import java.util.List;
import java.util.Optional;

/**
 * Where the system under test runs when the {@code kubernetes} engine is used: the gRPC targets the storm talks
 * to, the metrics endpoints the sampler scrapes, and where the admin credential for seeding comes from.
 *
 * @param namespace the namespace of the services (and the default for faults)
 * @param auth gRPC target of auth, e.g. {@code dns:///auth.stampede.svc.cluster.local:9000}
 * @param directory gRPC target of directory
 * @param metrics URLs of the services' {@code /q/metrics}
 * @param adminCredentialEnv the environment variable holding auth's admin credential
 */
public record KubernetesTarget(Optional<String> namespace, String auth, String directory, List<String> metrics,
    String adminCredentialEnv) {

  /** Copies the list. */
  public KubernetesTarget {
    metrics = List.copyOf(metrics);
  }
}
