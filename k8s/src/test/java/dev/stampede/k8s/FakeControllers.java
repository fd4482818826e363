package dev.stampede.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the controllers of a real cluster would do, for the fabric8 CRUD mock (which runs none): pods from the
 * workloads' templates, with their labels, owner chain (pod → ReplicaSet → Deployment, pod → StatefulSet,
 * pod → Job) and a Ready condition, and — while {@link #start} runs — replacements for pods that were deleted.
 */
final class FakeControllers implements AutoCloseable {
  /** A set of pods one owner keeps at a count. */
  private record Owned(String namespace, String prefix, OwnerReference owner, PodTemplateSpec template,
      Map<String, String> extraLabels, int replicas, boolean ordinal) {
  }

  private final KubernetesClient client;
  private final List<Owned> owned = new ArrayList<>();
  private final Random random = new Random(9);
  private ScheduledExecutorService loop;

  FakeControllers(KubernetesClient client) {
    this.client = client;
  }

  /** A ReplicaSet for the Deployment (as its controller would create it) and {@code replicas} ready pods. */
  void deployment(Deployment d, int replicas) {
    String ns = d.getMetadata().getNamespace();
    String hash = Integer.toHexString(d.getMetadata().getName().hashCode() & 0xfffffff);
    Map<String, String> labels = new HashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("pod-template-hash", hash);
    ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata()
        .withNamespace(ns).withName(d.getMetadata().getName() + "-" + hash).withLabels(labels)
        .withOwnerReferences(controller(d)).endMetadata().withNewSpec().withReplicas(replicas)
        .withNewSelector().withMatchLabels(labels).endSelector().withTemplate(d.getSpec().getTemplate())
        .endSpec().build()).create();
    add(new Owned(ns, rs.getMetadata().getName() + "-", controller(rs), d.getSpec().getTemplate(),
        Map.of("pod-template-hash", hash), replicas, false));
  }

  void statefulSet(StatefulSet s) {
    add(new Owned(s.getMetadata().getNamespace(), s.getMetadata().getName() + "-", controller(s),
        s.getSpec().getTemplate(), Map.of(), s.getSpec().getReplicas(), true));
  }

  void job(Job j) {
    add(new Owned(j.getMetadata().getNamespace(), j.getMetadata().getName() + "-", controller(j),
        j.getSpec().getTemplate(), Map.of("job-name", j.getMetadata().getName(),
            "batch.kubernetes.io/job-name", j.getMetadata().getName()), 1, false));
  }

  private synchronized void add(Owned o) {
    owned.add(o);
    reconcile(o);
  }

  /** Replaces deleted pods every {@code periodMillis}, as ReplicaSet and StatefulSet controllers do. */
  synchronized void start(long periodMillis) {
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fake-controllers");
      t.setDaemon(true);
      return t;
    });
    loop.scheduleWithFixedDelay(this::reconcileAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  private synchronized void reconcileAll() {
    owned.forEach(this::reconcile);
  }

  private void reconcile(Owned o) {
    List<Pod> alive = client.pods().inNamespace(o.namespace()).list().getItems().stream()
        .filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> r.getUid().equals(o.owner().getUid())))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    for (int i = 0; alive.size() + i < o.replicas(); i++) {
      String name;
      if (o.ordinal()) {
        int n = 0;
        while (contains(alive, o.prefix() + n)) {
          n++;
        }
        name = o.prefix() + n;
      } else {
        name = o.prefix() + suffix();
      }
      Map<String, String> labels = new HashMap<>(o.template().getMetadata().getLabels());
      labels.putAll(o.extraLabels());
      client.pods().inNamespace(o.namespace()).resource(new PodBuilder().withNewMetadata()
          .withNamespace(o.namespace()).withName(name).withLabels(labels).withOwnerReferences(o.owner())
          .endMetadata().withSpec(o.template().getSpec()).withNewStatus().withPhase("Running")
          .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }
  }

  private static boolean contains(List<Pod> pods, String name) {
    return pods.stream().anyMatch(p -> p.getMetadata().getName().equals(name));
  }

  private String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
      try {
        loop.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop = null;
    }
  }
}
