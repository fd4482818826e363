package dev.stampede.chaos.restart.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;

/**
 * The Deployments and StatefulSets behind pods, for {@code rollout}: finding a pod's owner through its
 * controller {@code ownerReference} (via the ReplicaSet for a Deployment), and telling whether a rollout is
 * complete the way {@code kubectl rollout status} does. Thread-safe.
 */
final class Workloads {

  /**
   * A workload that controls pods.
   *
   * @param kind {@code Deployment} or {@code StatefulSet}
   * @param namespace its namespace
   * @param name its name
   * @param uid its UID
   */
  record Workload(String kind, String namespace, String name, String uid) {}

  private final KubernetesClient client;
  private final String server;

  Workloads(KubernetesClient client, String server) {
    this.client = client;
    this.server = server;
  }

  /** The controller reference among {@code refs}, or null. */
  static OwnerReference controllerOf(List<OwnerReference> refs) {
    if (refs == null) {
      return null;
    }
    for (OwnerReference r : refs) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r;
      }
    }
    return null;
  }

  /**
   * The Deployment or StatefulSet behind a pod's controller ({@code ReplicaSet/x} or {@code StatefulSet/y}).
   *
   * @throws dev.stampede.chaos.restart.ClusterAccessException if a lookup fails
   */
  Optional<Workload> ownerOf(String namespace, String controller) {
    String[] kindName = controller.split("/", 2);
    if (kindName[0].equals("StatefulSet")) {
      return statefulSet(namespace, kindName[1]);
    }
    if (kindName[0].equals("ReplicaSet")) {
      return deploymentOfReplicaSet(namespace, kindName[1]).flatMap(d -> deployment(namespace, d));
    }
    return Optional.empty();
  }

  /** Empty when the rollout of {@code w} is complete, else what it waits for. */
  Optional<String> pendingRollout(Workload w) {
    try {
      return w.kind().equals("Deployment") ? deploymentPending(w) : statefulSetPending(w);
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.toAccess(e, "read " + w.kind() + "/" + w.name(), server);
    }
  }

  private Optional<String> deploymentPending(Workload w) {
    Deployment d = client.apps().deployments().inNamespace(w.namespace()).withName(w.name()).get();
    if (d == null) {
      return Optional.of("is gone");
    }
    int want = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s == null) {
      return Optional.of("has no status yet");
    }
    if (n(s.getObservedGeneration()) < n(d.getMetadata().getGeneration())) {
      return Optional.of("(controller has not seen the change yet)");
    }
    int updated = n(s.getUpdatedReplicas());
    int replicas = n(s.getReplicas());
    int available = n(s.getAvailableReplicas());
    if (updated < want || replicas > updated || available < updated) {
      return Optional.of(updated + "/" + want + " updated, " + available + " available, " + (replicas - updated)
          + " old");
    }
    return Optional.empty();
  }

  private Optional<String> statefulSetPending(Workload w) {
    StatefulSet s = client.apps().statefulSets().inNamespace(w.namespace()).withName(w.name()).get();
    if (s == null) {
      return Optional.of("is gone");
    }
    int want = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    var st = s.getStatus();
    if (st == null) {
      return Optional.of("has no status yet");
    }
    if (n(st.getObservedGeneration()) < n(s.getMetadata().getGeneration())) {
      return Optional.of("(controller has not seen the change yet)");
    }
    int updated = n(st.getUpdatedReplicas());
    int ready = n(st.getReadyReplicas());
    boolean revisionDone = st.getUpdateRevision() == null || st.getUpdateRevision().equals(st.getCurrentRevision());
    if (updated < want || ready < want || !revisionDone) {
      return Optional.of(updated + "/" + want + " updated, " + ready + " ready");
    }
    return Optional.empty();
  }

  private Optional<String> deploymentOfReplicaSet(String namespace, String replicaSet) {
    try {
      ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).withName(replicaSet).get();
      OwnerReference ref = rs == null ? null : controllerOf(rs.getMetadata().getOwnerReferences());
      return ref != null && "Deployment".equals(ref.getKind()) ? Optional.of(ref.getName()) : Optional.empty();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.toAccess(e, "get ReplicaSet " + namespace + "/" + replicaSet, server);
    }
  }

  private Optional<Workload> deployment(String namespace, String name) {
    try {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      return Optional.ofNullable(d).map(x -> new Workload("Deployment", namespace, name, x.getMetadata().getUid()));
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.toAccess(e, "get Deployment " + namespace + "/" + name, server);
    }
  }

  private Optional<Workload> statefulSet(String namespace, String name) {
    try {
      StatefulSet s = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
      return Optional.ofNullable(s).map(x -> new Workload("StatefulSet", namespace, name, x.getMetadata().getUid()));
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.toAccess(e, "get StatefulSet " + namespace + "/" + name, server);
    }
  }

  private static long n(Long l) {
    return l == null ? 0 : l;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
