package dev.stampede.chaos.restart.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Creates what a controller would have created, in the CRUD mock (which runs no controllers). */
final class Cluster {
  static final String NAME = "app.kubernetes.io/name";
  static final String PART_OF = "app.kubernetes.io/part-of";

  private final KubernetesClient client;

  Cluster(KubernetesClient client) {
    this.client = client;
  }

  static Map<String, String> app(String name) {
    return Map.of(NAME, name, PART_OF, "stampede");
  }

  /** A running, ready pod of {@code app}. */
  Pod pod(String namespace, String name, String app) {
    return pod(namespace, name, app(app), true, null);
  }

  Pod pod(String namespace, String name, Map<String, String> labels, boolean ready, OwnerReference owner) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("stampede/app").endContainer()
        .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
        .withStatus(ready ? "True" : "False").endCondition().endStatus();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return client.pods().inNamespace(namespace).resource(b.build()).create();
  }

  /** {@code count} ready pods named {@code app-0..}. */
  List<Pod> pods(String namespace, String app, int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> pod(namespace, app + "-" + i, app)).toList();
  }

  Deployment deployment(String namespace, String name, int replicas) {
    return client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder().withNewMetadata()
        .withNamespace(namespace).withName(name).withLabels(app(name)).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(app(name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(app(name)).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("stampede/" + name).endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
        .withReadyReplicas(replicas).withAvailableReplicas(replicas).endStatus().build()).create();
  }

  ReplicaSet replicaSet(String namespace, String name, Deployment owner) {
    return client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
        .withNamespace(namespace).withName(name).withOwnerReferences(controller(owner)).endMetadata().build())
        .create();
  }

  StatefulSet statefulSet(String namespace, String name, int replicas) {
    return client.apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder().withNewMetadata()
        .withNamespace(namespace).withName(name).withLabels(app(name)).endMetadata().withNewSpec()
        .withReplicas(replicas).withServiceName(name).withNewSelector().withMatchLabels(app(name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(app(name)).endMetadata().endTemplate().endSpec().build())
        .create();
  }

  static OwnerReference controller(io.fabric8.kubernetes.api.model.HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .build();
  }

  List<String> podNames(String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().stream().map(p -> p.getMetadata().getName())
        .sorted().toList();
  }
}
