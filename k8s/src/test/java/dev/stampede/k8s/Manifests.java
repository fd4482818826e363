package dev.stampede.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources of one kustomization (or manifest file) as strictly read fabric8 model objects, with look-ups the
 * invariant tests share. Rendering uses {@code kubectl kustomize} when kubectl is installed, otherwise
 * {@link Kustomize} (which tests compare with kubectl wherever both exist).
 */
final class Manifests {
  private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

  final String source;
  final List<ObjectNode> documents;
  final List<HasMetadata> items;

  private Manifests(String source, List<ObjectNode> documents) {
    this.source = source;
    this.documents = List.copyOf(documents);
    List<HasMetadata> typed = new ArrayList<>();
    for (ObjectNode doc : documents) {
      try {
        typed.add(StrictModel.read(doc));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
      }
    }
    this.items = List.copyOf(typed);
  }

  /** The kustomization {@code k8s/<dir>}, rendered once per test JVM. */
  static Manifests rendered(String dir) {
    return RENDERED.computeIfAbsent(dir, d -> {
      Path path = Repo.k8s().resolve(d);
      List<ObjectNode> docs = Kubectl.kustomize(path).orElseGet(() -> Kustomize.render(path));
      return new Manifests("k8s/" + d, docs);
    });
  }

  /** A plain manifest file under {@code k8s/}. */
  static Manifests file(String relative) {
    return new Manifests("k8s/" + relative, Documents.read(Repo.k8s().resolve(relative)));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return items.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(i -> i.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name).orElseThrow(() -> new AssertionError(source + ": no " + type.getSimpleName() + " "
        + name));
  }

  List<Deployment> deployments() {
    return all(Deployment.class);
  }

  List<Service> services() {
    return all(Service.class);
  }

  List<PodDisruptionBudget> budgets() {
    return all(PodDisruptionBudget.class);
  }

  List<HorizontalPodAutoscaler> autoscalers() {
    return all(HorizontalPodAutoscaler.class);
  }

  List<NetworkPolicy> networkPolicies() {
    return all(NetworkPolicy.class);
  }

  /**
   * A ConfigMap by the name its generator was given ({@code auth-config}), whatever hash suffix it carries.
   */
  Optional<ConfigMap> configMap(String generatorName) {
    return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(generatorName)
        || c.getMetadata().getName().matches(java.util.regex.Pattern.quote(generatorName) + "-[a-z0-9]{10}"))
        .findFirst();
  }

  /** Every pod template, by "Kind/name" of its workload. */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> out = new LinkedHashMap<>();
    for (HasMetadata i : items) {
      PodTemplateSpec t = null;
      if (i instanceof Deployment d) {
        t = d.getSpec().getTemplate();
      } else if (i instanceof StatefulSet s) {
        t = s.getSpec().getTemplate();
      } else if (i instanceof Job j) {
        t = j.getSpec().getTemplate();
      } else if (i instanceof CronJob c) {
        t = c.getSpec().getJobTemplate().getSpec().getTemplate();
      }
      if (t != null) {
        out.put(i.getKind() + "/" + i.getMetadata().getName(), t);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return source;
  }
}
