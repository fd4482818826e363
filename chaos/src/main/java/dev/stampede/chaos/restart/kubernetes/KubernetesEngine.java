package dev.stampede.chaos.restart.kubernetes;

import dev.stampede.chaos.restart.AbstractRestartEngine;
import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.ClusterAccessException;
import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.Pacer;
import dev.stampede.chaos.restart.Replica;
import dev.stampede.chaos.restart.RestartRefusedException;
import dev.stampede.chaos.restart.SafetyPolicy;
import dev.stampede.chaos.restart.Target;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The restart engine for a Kubernetes cluster, on the fabric8 client.
 *
 * <p>Actions: {@code kill} deletes pods ({@code gracePeriodSeconds} as given; 0 removes the pod object at once
 * and the kubelet kills the containers), {@code evict} posts a {@code policy/v1} Eviction (a PodDisruptionBudget
 * refusal, HTTP 429, is recorded as {@code pdb-blocked} and not retried), {@code rollout} stamps
 * {@code kubectl.kubernetes.io/restartedAt} into the pod template of the Deployment (found through the pod's
 * ReplicaSet) or StatefulSet that controls each picked pod, with a JSON merge patch. {@code fail} (Chaos Mesh
 * pod-failure) is refused: it would need rights to patch pods.
 *
 * <p>Every action that went through (or was refused by a PodDisruptionBudget) is also written as a Kubernetes
 * Event on the pod or workload (reason {@code ChaosKill}, {@code ChaosEvict}, {@code ChaosEvictBlocked},
 * {@code ChaosRolloutRestart}; component {@code stampede-chaos}), best effort.
 *
 * <p>Permissions used, all within the chaos Role: pods get/list/delete, pods/eviction create, replicasets get,
 * deployments and statefulsets get/patch, events create. Before acting (dry runs included) the engine asks the API
 * server with a SelfSubjectAccessReview — allowed to every authenticated subject by Kubernetes' default
 * {@code system:basic-user} binding — whether those verbs are granted, so a missing permission stops the run
 * before the first pod is touched; if the review itself cannot be made, the run goes on and a 403 on the first
 * action stops it.
 *
 * <p>Every API call is made exactly once: the engine's client has fabric8's request retries switched off
 * (fabric8 would otherwise resend a 429-refused eviction up to ten times). Thread-safe.
 */
public final class KubernetesEngine extends AbstractRestartEngine {

  /** The annotation {@code kubectl rollout restart} sets on the pod template. */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  /** The default readiness poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String defaultNamespace;
  private final String server;
  private final AccessReview access;
  private final Workloads workloads;
  private final ChaosEvents events;

  private KubernetesEngine(Builder b, KubernetesClient client, boolean ownsClient) {
    super("kubernetes", b.policy, b.pacer, b.pollInterval);
    this.client = client;
    this.ownsClient = ownsClient;
    String ns = client.getNamespace();
    this.defaultNamespace = ns == null || ns.isBlank() ? "default" : ns;
    this.server = String.valueOf(client.getConfiguration().getMasterUrl());
    this.access = new AccessReview(client, server);
    this.workloads = new Workloads(client, server);
    this.events = new ChaosEvents(client);
  }

  /**
   * A builder for an engine on {@code client}. If the client retries requests, the engine derives its own
   * client from the same configuration with retries off (and closes that one on {@link #close()}); the given
   * client is never closed by the engine.
   */
  public static Builder builder(KubernetesClient client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /**
   * A client for the given kubeconfig and context, or — both {@code null} — the usual discovery: the in-cluster
   * service account when running in a pod, else {@code $KUBECONFIG} or {@code ~/.kube/config} and its current
   * context. Requests are never retried and time out after {@code requestTimeout}.
   *
   * @throws ClusterAccessException if the kubeconfig cannot be read
   */
  public static KubernetesClient connect(java.nio.file.Path kubeconfig, String context, Duration requestTimeout) {
    Config config;
    try {
      if (kubeconfig != null) {
        String text = java.nio.file.Files.readString(kubeconfig);
        config = Config.fromKubeconfig(context, text, kubeconfig.toString());
      } else {
        config = Config.autoConfigure(context);
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new ClusterAccessException(ClusterAccessException.Reason.UNREACHABLE,
          "cannot read the kubeconfig" + (kubeconfig == null ? "" : " " + kubeconfig) + ": "
              + KubernetesErrors.oneLine(e.getMessage()), e);
    }
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    Config quiet = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).withConnectionTimeout(timeoutMs)
        .withRequestTimeout(timeoutMs).build();
    return new KubernetesClientBuilder().withConfig(quiet).build();
  }

  @Override
  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** The API server this engine talks to. */
  public String server() {
    return server;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  protected String unitKind() {
    return "Pod";
  }

  @Override
  protected void checkSupported(Action action) {
    if (action instanceof Action.Fail) {
      throw new RestartRefusedException("the kubernetes engine does not support fail (Chaos Mesh pod-failure):"
          + " it swaps the pod's images for a pause container, which needs rights to patch pods that the chaos"
          + " Role does not grant; use kill (pod-kill) instead");
    }
  }

  @Override
  protected void preflight(String namespace, Action action) {
    access.require(namespace, "list", "", "pods", null);
    if (action instanceof Action.Kill) {
      access.require(namespace, "delete", "", "pods", null);
    } else if (action instanceof Action.Evict) {
      access.require(namespace, "create", "", "pods", "eviction");
    } else if (action instanceof Action.Rollout) {
      access.require(namespace, "get", "apps", "replicasets", null);
    }
  }

  @Override
  protected List<Replica> listReplicas(Target target) {
    List<Pod> pods;
    try {
      pods = client.pods().inNamespace(target.namespace()).withLabelSelector(target.selector().toString()).list()
          .getItems();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.toAccess(e, "list pods in namespace " + target.namespace(), server);
    }
    List<Replica> out = new ArrayList<>();
    for (Pod p : pods) {
      out.add(toReplica(p));
    }
    return out;
  }

  @Override
  protected List<Unit> units(Target target, Action action, List<Replica> matched, List<Skip> skipped) {
    if (!(action instanceof Action.Rollout)) {
      return super.units(target, action, matched, skipped);
    }
    Map<String, Unit> owners = new LinkedHashMap<>();
    Map<String, Optional<Workloads.Workload>> byController = new HashMap<>();
    Set<String> kinds = new HashSet<>();
    for (Replica r : matched) {
      if (r.owner() == null) {
        skipped.add(new Skip(r.name(), "no controller: nothing to rollout-restart"));
        continue;
      }
      Optional<Workloads.Workload> owner = byController.computeIfAbsent(r.owner(),
          c -> workloads.ownerOf(target.namespace(), c));
      if (owner.isEmpty()) {
        skipped.add(new Skip(r.name(), "controlled by " + r.owner() + ", not by a Deployment or StatefulSet"));
        continue;
      }
      Workloads.Workload w = owner.get();
      Unit unit = new Unit(w.kind(), w.namespace(), w.name(), w.uid());
      owners.putIfAbsent(unit.label(), unit);
      kinds.add(w.kind());
    }
    for (String kind : kinds) {
      access.require(target.namespace(), "patch", "apps", kind.equals("Deployment") ? "deployments" : "statefulsets",
          null);
    }
    return new ArrayList<>(owners.values());
  }

  @Override
  protected ActResult act(Unit unit, Action action, boolean dryRun) {
    java.time.Instant at = pacer().now();
    ActResult result;
    String reason;
    if (action instanceof Action.Kill kill) {
      result = delete(unit, kill.gracePeriod(), dryRun);
      reason = "ChaosKill";
    } else if (action instanceof Action.Evict evict) {
      result = evict(unit, evict.gracePeriod(), dryRun);
      reason = result.outcome() == Outcome.PDB_BLOCKED ? "ChaosEvictBlocked" : "ChaosEvict";
    } else if (action instanceof Action.Rollout) {
      result = rollout(unit, dryRun);
      reason = "ChaosRolloutRestart";
    } else {
      throw new IllegalStateException("unsupported action " + action);
    }
    if (result.outcome() == Outcome.OK || result.outcome() == Outcome.PDB_BLOCKED) {
      events.record(unit.namespace(), unit.kind(), unit.kind().equals("Pod") ? "v1" : "apps/v1", unit.name(),
          unit.uid(), result.outcome() != Outcome.OK, reason, result.message(), at);
    }
    return result;
  }

  @Override
  protected Readiness readiness(Target target, Action action, Baseline baseline, List<Unit> acted) {
    if (action instanceof Action.Rollout) {
      return rolloutReadiness(acted);
    }
    Set<String> gone = new HashSet<>();
    acted.forEach(u -> gone.add(u.uid()));
    int ready = 0;
    int replaced = 0;
    for (Replica r : listReplicas(target)) {
      if (!target.selector().matches(r.labels()) || r.terminating() || gone.contains(r.uid())) {
        continue;
      }
      if (r.ready()) {
        ready++;
        if (baseline.matched().stream().noneMatch(b -> b.uid() != null && b.uid().equals(r.uid()))) {
          replaced++;
        }
      }
    }
    return new Readiness(ready >= baseline.readyBefore(), ready + "/" + baseline.readyBefore()
        + " pods ready (" + replaced + " new)");
  }

  private ActResult delete(Unit unit, Optional<Duration> grace, boolean dryRun) {
    String graceText = grace.map(g -> g.toSeconds() + "s").orElse("the pod's default");
    if (dryRun) {
      return new ActResult(Outcome.DRY_RUN, "would delete pod " + unit.namespace() + "/" + unit.name()
          + " with grace period " + graceText);
    }
    PodResource pod = client.pods().inNamespace(unit.namespace()).withName(unit.name());
    try {
      ActResult replaced = checkSameIncarnation(pod, unit);
      if (replaced != null) {
        return replaced;
      }
      List<?> deleted = grace.isPresent() ? pod.withGracePeriod(grace.get().toSeconds()).delete() : pod.delete();
      if (deleted.isEmpty()) {
        return new ActResult(Outcome.NOT_FOUND, "already gone");
      }
      return new ActResult(Outcome.OK, "deleted with grace period " + graceText);
    } catch (KubernetesClientException e) {
      return failure(e, "delete pod " + unit.namespace() + "/" + unit.name());
    }
  }

  private ActResult evict(Unit unit, Optional<Duration> grace, boolean dryRun) {
    String graceText = grace.map(g -> g.toSeconds() + "s").orElse("the pod's default");
    if (dryRun) {
      return new ActResult(Outcome.DRY_RUN, "would evict pod " + unit.namespace() + "/" + unit.name()
          + " with grace period " + graceText + " (a PodDisruptionBudget may refuse)");
    }
    DeleteOptionsBuilder options = new DeleteOptionsBuilder();
    grace.ifPresent(g -> options.withGracePeriodSeconds(g.toSeconds()));
    if (unit.uid() != null) {
      // The eviction must hit the pod that was picked, not a StatefulSet replacement of the same name.
      options.withNewPreconditions().withUid(unit.uid()).endPreconditions();
    }
    Eviction eviction = new EvictionBuilder().withNewMetadata().withName(unit.name())
        .withNamespace(unit.namespace()).endMetadata().withDeleteOptions(options.build()).build();
    try {
      boolean evicted = client.pods().inNamespace(unit.namespace()).withName(unit.name()).evict(eviction);
      if (!evicted) {
        return new ActResult(Outcome.PDB_BLOCKED,
            "eviction refused (HTTP 429): it would violate a PodDisruptionBudget; not retried");
      }
      return new ActResult(Outcome.OK, "evicted with grace period " + graceText);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return new ActResult(Outcome.NOT_FOUND, "replaced since it was picked: " + KubernetesErrors.apiMessage(e));
      }
      return failure(e, "evict pod " + unit.namespace() + "/" + unit.name());
    }
  }

  private ActResult rollout(Unit unit, boolean dryRun) {
    String stamp = DateTimeFormatter.ISO_INSTANT.format(pacer().now());
    if (dryRun) {
      return new ActResult(Outcome.DRY_RUN, "would set " + RESTARTED_AT + "=" + stamp + " on the pod template of "
          + unit.label() + " (its controller then replaces the pods)");
    }
    String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + stamp
        + "\"}}}}}";
    PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
    try {
      HasMetadata patched = unit.kind().equals("Deployment")
          ? client.apps().deployments().inNamespace(unit.namespace()).withName(unit.name()).patch(merge, patch)
          : client.apps().statefulSets().inNamespace(unit.namespace()).withName(unit.name()).patch(merge, patch);
      String note = patched instanceof Deployment d && d.getSpec() != null
          && Boolean.TRUE.equals(d.getSpec().getPaused()) ? " (the Deployment is paused: it rolls when resumed)" : "";
      return new ActResult(Outcome.OK, "set " + RESTARTED_AT + "=" + stamp + note);
    } catch (KubernetesClientException e) {
      return failure(e, "patch " + unit.label() + " in namespace " + unit.namespace());
    }
  }

  private Readiness rolloutReadiness(List<Unit> acted) {
    List<String> pending = new ArrayList<>();
    for (Unit u : acted) {
      workloads.pendingRollout(new Workloads.Workload(u.kind(), u.namespace(), u.name(), u.uid()))
          .ifPresent(why -> pending.add(u.label() + " " + why));
    }
    String detail = (acted.size() - pending.size()) + "/" + acted.size() + " workloads rolled out"
        + (pending.isEmpty() ? "" : "; waiting for " + String.join(", ", pending));
    return new Readiness(pending.isEmpty(), detail);
  }

  private ActResult checkSameIncarnation(PodResource pod, Unit unit) {
    if (unit.uid() == null) {
      return null;
    }
    Pod current = pod.get();
    if (current == null) {
      return new ActResult(Outcome.NOT_FOUND, "already gone");
    }
    if (!unit.uid().equals(current.getMetadata().getUid())) {
      return new ActResult(Outcome.NOT_FOUND, "replaced since it was picked (new uid); the replacement is left alone");
    }
    return null;
  }

  private ActResult failure(KubernetesClientException e, String what) {
    if (KubernetesErrors.isAccessProblem(e)) {
      throw KubernetesErrors.toAccess(e, what, server);
    }
    if (e.getCode() == 404) {
      return new ActResult(Outcome.NOT_FOUND, "already gone");
    }
    return new ActResult(Outcome.FAILED, "HTTP " + e.getCode() + ": " + KubernetesErrors.apiMessage(e));
  }

  private static Replica toReplica(Pod p) {
    var meta = p.getMetadata();
    boolean terminating = meta.getDeletionTimestamp() != null;
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      terminating = true;
    }
    boolean ready = false;
    if (p.getStatus() != null && p.getStatus().getConditions() != null) {
      for (PodCondition c : p.getStatus().getConditions()) {
        if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
          ready = true;
        }
      }
    }
    OwnerReference owner = Workloads.controllerOf(meta.getOwnerReferences());
    return new Replica(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getLabels(), ready, terminating,
        owner == null ? null : owner.getKind() + "/" + owner.getName());
  }

  /** Builder of {@link KubernetesEngine}; not thread-safe. */
  public static final class Builder {
    private final KubernetesClient client;
    private SafetyPolicy policy = SafetyPolicy.DEFAULT;
    private Pacer pacer = Pacer.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    /** The guard rails; default {@link SafetyPolicy#DEFAULT} (own namespace only). */
    public Builder policy(SafetyPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The clock; default wall-clock time. */
    public Builder pacer(Pacer pacer) {
      this.pacer = Objects.requireNonNull(pacer, "pacer");
      return this;
    }

    /**
     * How often readiness is polled; default {@link #DEFAULT_POLL_INTERVAL}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval: " + interval + " (expected: > 0)");
      }
      this.pollInterval = interval;
      return this;
    }

    /** The engine. */
    public KubernetesEngine build() {
      Integer retries = client.getConfiguration().getRequestRetryBackoffLimit();
      if (retries == null || retries != 0) {
        Config once = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        return new KubernetesEngine(this, new KubernetesClientBuilder().withConfig(once).build(), true);
      }
      return new KubernetesEngine(this, client, false);
    }
  }
}
