package dev.stampede.chaos.restart;

import java.util.Map;
import java.util.Objects;

/**
 * A target as an engine sees it: a pod in a cluster, or a local replica process.
 *
 * @param namespace the namespace ({@code local} for local replicas)
 * @param name the pod name, or the replica name ({@code auth-0})
 * @param uid what identifies this incarnation: the pod UID, or {@code pid:<n>} of a local replica's process, so
 *     a replacement with the same name (a StatefulSet pod, a restarted replica) is told apart
 * @param labels the labels
 * @param ready whether it is ready (the pod's {@code Ready} condition; {@code /q/health/ready} locally)
 * @param terminating whether it is already being deleted (or a local replica is down)
 * @param owner the owning workload ({@code Deployment/auth}), or {@code null} if none was found
 */
public record Replica(String namespace, String name, String uid, Map<String, String> labels, boolean ready,
    boolean terminating, String owner) {

  /** Copies the labels and checks required fields. */
  public Replica {
    Objects.requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
