package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.ClusterAccessException;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.PlanSpec;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.Target;
import dev.stampede.chaos.restart.kubernetes.KubernetesEngine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rendered dev overlay and k8s/chaos applied to fabric8's CRUD mock API server, with the pods their controllers
 * would run, and the Kubernetes restart engine run against them as the chaos Job runs it: in namespace stampede,
 * with requests retried never, and every permission check answered from the chaos Role of the manifests.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = DevOverlayOnMockClusterTest.NoRetries.class)
class DevOverlayOnMockClusterTest {
  static final String NS = "stampede";
  /** Pods per service: as many as the dev autoscaler allows, so that selection is tested on more than one. */
  static final int SCALED_OUT = 3;

  static KubernetesMockServer server;
  static KubernetesClient client;

  /** The client of a pod running as the chaos service account: its namespace is the default. */
  static KubernetesClient inCluster;
  /** The rules SelfSubjectAccessReviews are answered from; the chaos Role unless a test narrows it. */
  static volatile List<PolicyRule> rules;
  static List<HasMetadata> applied;

  FakeControllers controllers;
  KubernetesEngine engine;
  Journal journal;

  /** The engine's own configuration: every request exactly once. */
  public static final class NoRetries implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
    }
  }

  @BeforeAll
  static void applyTheDevOverlayAndChaos() {
    Role chaos = Manifests.rendered("chaos").get(Role.class, "stampede-chaos");
    rules = chaos.getRules();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReply(201, DevOverlayOnMockClusterTest::review).always();

    applied = new ArrayList<>();
    applied.addAll(Manifests.rendered("overlays/dev").items);
    applied.addAll(Manifests.rendered("chaos").items);
    for (HasMetadata item : applied) {
      client.resource(item).create();
    }
    inCluster = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
        .withNamespace(NS).withRequestRetryBackoffLimit(0)
        .withCustomHeaders(Map.of("X-Stampede-Client", "stampede-chaos")).build()).build();
  }

  @AfterAll
  static void closeClient() {
    if (inCluster != null) {
      inCluster.close();
    }
  }

  /** A SelfSubjectAccessReview answered as the API server's RBAC authorizer would, from {@link #rules}. */
  static String review(RecordedRequest request) {
    try {
      JsonNode attrs = Documents.JSON.readTree(request.getBody().readUtf8()).path("spec").path("resourceAttributes");
      String resource = attrs.path("resource").asText()
          + (attrs.path("subresource").asText("").isEmpty() ? "" : "/" + attrs.path("subresource").asText());
      boolean allowed = attrs.path("namespace").asText().equals(NS) && Rbac.allows(rules,
          Rbac.Permission.of(attrs.path("verb").asText(), attrs.path("group").asText(""), resource),
          attrs.path("name").asText(null));
      return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{},"
          + "\"status\":{\"allowed\":" + allowed + "}}";
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void podsAsTheControllersWouldRunThem() {
    rules = Manifests.rendered("chaos").get(Role.class, "stampede-chaos").getRules();
    client.pods().inNamespace(NS).delete();
    client.apps().replicaSets().inNamespace(NS).delete();
    client.batch().v1().jobs().inNamespace(NS).delete();
    controllers = new FakeControllers(client);
    for (Deployment d : client.apps().deployments().inNamespace(NS).list().getItems()) {
      controllers.deployment(d, SCALED_OUT);
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(NS).list().getItems()) {
      controllers.statefulSet(s);
    }
    // A running chaos Job, created like `kubectl create -f k8s/chaos/job-patch-tuesday.yaml` would.
    Job file = Manifests.file("chaos/job-patch-tuesday.yaml").all(Job.class).get(0);
    Job job = client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder(file).editMetadata()
        .withGenerateName(null).withName("patch-tuesday-x7k2p").endMetadata().build()).create();
    controllers.job(job);
    Pod reader = Manifests.file("chaos/results-reader.yaml").all(Pod.class).get(0);
    client.pods().inNamespace(NS).resource(reader).create();
    drainRequests();
    journal = new Journal();
    engine = KubernetesEngine.builder(inCluster).pollInterval(Duration.ofMillis(50)).build();
  }

  @AfterEach
  void stop() {
    engine.close();
    controllers.close();
  }

  @Test
  void theDevOverlayAndChaos_applyToTheApiServer_objectForObject() {
    for (HasMetadata item : applied) {
      HasMetadata stored = client.resource(item).get();
      assertThat(stored).as("%s/%s", item.getKind(), item.getMetadata().getName()).isNotNull();
      assertThat(stored.getMetadata().getLabels()).isEqualTo(item.getMetadata().getLabels());
    }
    assertThat(client.namespaces().withName(NS).get()).isNotNull();
    assertThat(applied).filteredOn(i -> i instanceof Namespace).hasSize(1);
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(3);
  }

  @Test
  void patchTuesdayFault_killsExactlyEveryAuthAndDirectoryPod_andWaitsUntilTheReplacementsAreReady() {
    Fault fault = ChaosManifestsTest.experiment().faults().get(0);
    RestartPlan plan = PlanSpec.fromMap(fault.toPlanSpec(), "faults[0]");
    Set<String> authAndDirectory = podsOf("auth", "directory");
    Set<String> others = new HashSet<>(allPods());
    others.removeAll(authAndDirectory);
    assertThat(authAndDirectory).hasSize(2 * SCALED_OUT);
    controllers.start(20);

    RestartResult r = engine.run(plan, journal);

    assertThat(r.picked()).containsExactlyInAnyOrderElementsOf(authAndDirectory);
    assertThat(r.acted()).isEqualTo(2 * SCALED_OUT);
    assertThat(r.namespace()).isEqualTo(NS);
    assertThat(r.timeToReady()).as("the replacements became ready").isPresent();
    // Relay, Redis, the chaos Job's own pod and the results reader were never touched.
    assertThat(allPods()).containsAll(others).doesNotContainAnyElementsOf(authAndDirectory);
    assertThat(podsOf("auth", "directory")).hasSize(2 * SCALED_OUT);
    assertThat(journal.events(JournalEvent.Type.KILL)).hasSize(2 * SCALED_OUT)
        .allSatisfy(e -> assertThat(e.message()).contains("grace period 0s"));
    controllers.close(); // its reconcile loop lists pods every 20 ms: stop it so the recorded requests end
    assertThat(forbiddenRequests()).isEmpty();
  }

  @Test
  void eachServiceSelector_selectsThatServicesPodsAndNothingElse() {
    for (String app : List.of("auth", "directory", "relay", "redis")) {
      RestartResult r = engine.run(dryRun("app.kubernetes.io/name=" + app), journal);
      assertThat(r.picked()).as(app).containsExactlyInAnyOrderElementsOf(podsOf(app));
    }
    assertThat(forbiddenRequests()).isEmpty();
  }

  @Test
  void partOfStampede_selectsTheSystemUnderTest_neverTheChaosPods() {
    RestartResult r = engine.run(dryRun("app.kubernetes.io/part-of=stampede"), journal);

    assertThat(r.picked()).containsExactlyInAnyOrderElementsOf(podsOf("auth", "directory", "relay", "redis"));
    assertThat(r.picked()).noneMatch(p -> p.startsWith("patch-tuesday") || p.startsWith("stampede-chaos"));
    assertThat(journal.events(JournalEvent.Type.KILL)).hasSize(r.picked().size())
        .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(JournalEvent.Outcome.DRY_RUN));
    assertThat(allPods()).containsAll(podsOf("auth", "directory", "relay", "redis"));
  }

  @Test
  void kill_evict_andRollout_useExactlyTheVerbsTheChaosRoleGrants() {
    String relay = podsOf("relay").iterator().next();
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/pods/" + relay + "/eviction")
        .andReturn(201, new StatusBuilder().withStatus("Success").withCode(201).build()).once();
    drainRequests();

    engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.One()).action(Action.Kill.immediately())
        .build(), journal);
    engine.run(plan("app.kubernetes.io/name=relay").mode(new Mode.Fixed(1)).action(new Action.Evict(
        java.util.Optional.of(Duration.ofSeconds(5)))).seed(1).build(), journal);
    RestartResult rollout = engine.run(plan("app.kubernetes.io/name in (directory,redis)")
        .mode(new Mode.All()).action(new Action.Rollout()).build(), journal);

    assertThat(rollout.acted()).isEqualTo(2);
    assertThat(client.apps().deployments().inNamespace(NS).withName("directory").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsKey(KubernetesEngine.RESTARTED_AT);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("redis").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsKey(KubernetesEngine.RESTARTED_AT);
    Set<Rbac.Permission> used = drainRequests().stream().map(DevOverlayOnMockClusterTest::permission)
        .filter(p -> p != null).collect(Collectors.toCollection(TreeSet::new));
    assertThat(used).as("every request is one the chaos Role grants")
        .allMatch(p -> Rbac.allows(rules, p, null));
    assertThat(used).as("and the Role grants nothing the engine does not use")
        .containsExactlyInAnyOrderElementsOf(Rbac.granted(rules));
  }

  @Test
  void withoutTheRightToDeletePods_theEngineStopsBeforeTouchingOne() {
    rules = List.of(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list")
        .build());
    Set<String> before = allPods();

    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.All()).build(),
        journal)).isInstanceOf(ClusterAccessException.class).hasMessageContaining("delete")
        .hasMessageContaining("k8s/chaos");

    assertThat(allPods()).isEqualTo(before);
    assertThat(drainRequests()).noneMatch(q -> q.getMethod().equals("DELETE"));
  }

  static RestartPlan.Builder plan(String selector) {
    return RestartPlan.builder(Target.of(selector)).seed(7);
  }

  static RestartPlan dryRun(String selector) {
    return plan(selector).mode(new Mode.All()).dryRun(true).build();
  }

  static Set<String> allPods() {
    return client.pods().inNamespace(NS).list().getItems().stream().map(p -> p.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The pods whose labels the manifests gave to the named apps. */
  static Set<String> podsOf(String... apps) {
    Set<String> names = Set.of(apps);
    return client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> names.contains(p.getMetadata().getLabels().get(Labels.NAME))
            && "stampede".equals(p.getMetadata().getLabels().get(Labels.PART_OF)))
        .map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  static List<RecordedRequest> drainRequests() {
    List<RecordedRequest> out = new ArrayList<>();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
        out.add(r);
        if (System.nanoTime() - giveUp > 0) {
          throw new IllegalStateException("requests to the mock API server never stopped (" + out.size()
              + " drained, the last " + r.getMethod() + " " + r.getPath() + "): something still polls it");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Requests of the recorded ones that the chaos Role would refuse (the mock itself authorizes nothing). */
  List<String> forbiddenRequests() {
    return drainRequests().stream().filter(q -> {
      Rbac.Permission p = permission(q);
      return p != null && !Rbac.allows(rules, p, null);
    }).map(q -> q.getMethod() + " " + q.getPath()).toList();
  }

  private static final Pattern PATH = Pattern.compile(
      "/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/([^/]+)/([^/?]+)(?:/([^/?]+)(?:/([^/?]+))?)?(\\?.*)?");

  /**
   * The RBAC permission a namespaced request needs ({@code GET} of a collection is list, with {@code watch=true}
   * watch); {@code null} for the test's own set-up traffic and for SelfSubjectAccessReviews, which every
   * authenticated subject may create.
   */
  static Rbac.Permission permission(RecordedRequest q) {
    String path = URLDecoder.decode(q.getPath(), StandardCharsets.UTF_8);
    if (path.startsWith("/apis/authorization.k8s.io/")) {
      return null;
    }
    if (!"stampede-chaos".equals(userAgentTag(q))) {
      return null;
    }
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw new AssertionError("unexpected request path " + path);
    }
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
    boolean named = m.group(4) != null;
    String query = m.group(6) == null ? "" : m.group(6);
    String verb = switch (q.getMethod()) {
      case "GET" -> !named ? (query.contains("watch=true") ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new AssertionError("unexpected method " + q.getMethod());
    };
    return Rbac.Permission.of(verb, group, resource);
  }

  /** Requests of the engine's client are told from the test's own by the client they came through. */
  private static String userAgentTag(RecordedRequest q) {
    return q.getHeader("X-Stampede-Client");
  }

  static Map<String, String> labels(Pod p) {
    return p.getMetadata().getLabels();
  }
}
