package dev.stampede.chaos.restart.kubernetes;

import static dev.stampede.chaos.restart.kubernetes.Cluster.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.ClusterAccessException;
import dev.stampede.chaos.restart.FakePacer;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.JournalEvent.Type;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartRefusedException;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.SafetyPolicy;
import dev.stampede.chaos.restart.Selector;
import dev.stampede.chaos.restart.Target;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NoRetries.class)
class KubernetesEngineTest {

  static final String NS = "test"; // the mock client's default namespace
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  KubernetesClient client;
  KubernetesMockServer server;

  Cluster cluster;
  FakePacer pacer;
  Journal journal;
  KubernetesEngine engine;

  @BeforeEach
  void setUp() {
    cluster = new Cluster(client);
    pacer = new FakePacer(T0);
    journal = new Journal();
    engine = engine(SafetyPolicy.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  KubernetesEngine engine(SafetyPolicy policy) {
    return KubernetesEngine.builder(client).policy(policy).pacer(pacer).build();
  }

  RestartPlan.Builder plan(String selector) {
    return RestartPlan.builder(Target.of(selector)).seed(7);
  }

  Set<String> killed(RestartResult r) {
    return new HashSet<>(r.picked());
  }

  List<String> remaining() {
    return cluster.podNames(NS);
  }

  @Test
  void all_deletesEveryMatchingPod_andNothingElse() {
    cluster.pods(NS, "auth", 3);
    cluster.pods(NS, "directory", 2);
    cluster.pods("other", "auth", 1);

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.All()).build(), journal);

    assertThat(r.acted()).isEqualTo(3);
    assertThat(killed(r)).containsExactlyInAnyOrder("auth-0", "auth-1", "auth-2");
    assertThat(remaining()).containsExactly("directory-0", "directory-1");
    assertThat(cluster.podNames("other")).containsExactly("auth-0");
    assertThat(journal.events(Type.KILL)).hasSize(3).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.OK);
      assertThat(e.message()).contains("grace period 0s");
      assertThat(e.at()).isEqualTo(T0);
    });
    // kubectl get events shows them too.
    assertThat(client.v1().events().inNamespace(NS).list().getItems()).hasSize(3).allSatisfy(ev -> {
      assertThat(ev.getReason()).isEqualTo("ChaosKill");
      assertThat(ev.getType()).isEqualTo("Normal");
      assertThat(ev.getInvolvedObject().getKind()).isEqualTo("Pod");
      assertThat(ev.getSource().getComponent()).isEqualTo("stampede-chaos");
    }).extracting(ev -> ev.getInvolvedObject().getName()).containsExactlyInAnyOrder("auth-0", "auth-1", "auth-2");
  }

  @Test
  void one_deletesExactlyOneMatchingPod() {
    cluster.pods(NS, "auth", 4);
    cluster.pods(NS, "directory", 2);

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.One()).build(), journal);

    assertThat(r.picked()).hasSize(1);
    assertThat(r.picked().get(0)).startsWith("auth-");
    assertThat(remaining()).hasSize(5).doesNotContain(r.picked().get(0)).contains("directory-0", "directory-1");
  }

  @Test
  void fixed_deletesN_andAllWhenFewerMatch() {
    cluster.pods(NS, "auth", 5);
    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.Fixed(2)).build(), journal);
    assertThat(r.acted()).isEqualTo(2);
    assertThat(remaining()).hasSize(3).doesNotContainAnyElementsOf(r.picked());

    RestartResult rest = engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.Fixed(10)).build(), journal);
    assertThat(rest.acted()).isEqualTo(3);
    assertThat(remaining()).isEmpty();
  }

  @Test
  void fixedPercent_roundsDownLikeChaosMesh() {
    cluster.pods(NS, "auth", 5);
    RestartResult r =
        engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.FixedPercent(50)).build(), journal);
    assertThat(r.acted()).isEqualTo(2); // floor(5 × 50%)
    assertThat(remaining()).hasSize(3).doesNotContainAnyElementsOf(r.picked());
  }

  @Test
  void fixedPercent_thatSelectsNothing_isRefused_andTouchesNothing() {
    cluster.pods(NS, "auth", 5);
    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.FixedPercent(10))
        .build(), journal)).isInstanceOf(RestartRefusedException.class).hasMessageContaining("selects no target");
    assertThat(remaining()).hasSize(5);
  }

  @Test
  void randomMaxPercent_deletesAtMostThePercentage() {
    cluster.pods(NS, "auth", 10);
    int total = 0;
    for (long seed = 1; seed <= 5 && total == 0; seed++) {
      RestartPlan p = plan("app.kubernetes.io/name=auth").mode(new Mode.RandomMaxPercent(40)).seed(seed).build();
      try {
        RestartResult r = engine.run(p, journal);
        assertThat(r.acted()).isBetween(1, 4);
        total += r.acted();
      } catch (RestartRefusedException nothingDrawn) {
        assertThat(nothingDrawn).hasMessageContaining("selects no target");
      }
    }
    assertThat(remaining()).hasSize(10 - total);
  }

  @Test
  void samePlanAndSeed_picksTheSamePods() {
    cluster.pods(NS, "auth", 6);
    RestartPlan p = plan("app.kubernetes.io/name=auth").mode(new Mode.Fixed(2)).seed(42).dryRun(true).build();
    assertThat(engine.run(p, journal).picked()).isEqualTo(engine.run(p, journal).picked());
  }

  @Test
  void setBasedSelector_isMatchedLocally_evenThoughTheMockIgnoresIt() {
    cluster.pods(NS, "auth", 2);
    cluster.pods(NS, "directory", 2);
    cluster.pods(NS, "relay", 2);

    RestartResult r = engine.run(plan("app.kubernetes.io/name in (auth,relay),app.kubernetes.io/part-of=stampede")
        .build(), journal);

    assertThat(killed(r)).containsExactlyInAnyOrder("auth-0", "auth-1", "relay-0", "relay-1");
    assertThat(remaining()).containsExactly("directory-0", "directory-1");
  }

  @Test
  void terminatingPods_areNotPickedAgain() {
    cluster.pods(NS, "auth", 2);
    // A finalizer keeps a deleted pod around with a deletionTimestamp, as a pod in its grace period.
    Pod dying = cluster.pod(NS, "auth-9", app("auth"), true, null);
    client.pods().inNamespace(NS).withName(dying.getMetadata().getName()).edit(p -> {
      p.getMetadata().setFinalizers(List.of("stampede.dev/test"));
      return p;
    });
    client.pods().inNamespace(NS).withName("auth-9").delete();
    assertThat(client.pods().inNamespace(NS).withName("auth-9").get().getMetadata().getDeletionTimestamp())
        .as("the mock keeps deletionTimestamp").isNotNull();

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").build(), journal);

    assertThat(killed(r)).containsExactlyInAnyOrder("auth-0", "auth-1");
    assertThat(remaining()).containsExactly("auth-9");
  }

  @Test
  void waves_actOnAFractionEveryInterval_startToStart() {
    cluster.pods(NS, "auth", 8);

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth")
        .mode(new Mode.Waves(0.25, Duration.ofSeconds(10), false)).build(), journal);

    assertThat(r.acted()).isEqualTo(8);
    assertThat(remaining()).isEmpty();
    List<JournalEvent> waves = journal.events(Type.WAVE);
    assertThat(waves).extracting(JournalEvent::at)
        .containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
    List<JournalEvent> kills = journal.events(Type.KILL);
    assertThat(kills).hasSize(8);
    for (int w = 1; w <= 4; w++) {
      int wave = w;
      List<JournalEvent> inWave = kills.stream().filter(e -> e.wave() == wave).toList();
      assertThat(inWave).as("wave %d", w).hasSize(2)
          .allSatisfy(e -> assertThat(e.at()).isEqualTo(T0.plusSeconds(10L * (wave - 1))));
    }
    assertThat(kills).extracting(JournalEvent::name).doesNotHaveDuplicates();
  }

  @Test
  void waves_roundTheWaveSizeUp_andTheLastWaveTakesTheRest() {
    cluster.pods(NS, "auth", 5);
    engine.run(plan("app.kubernetes.io/name=auth").mode(new Mode.Waves(0.3, Duration.ofSeconds(5), false))
        .build(), journal);
    // ceil(0.3 × 5) = 2 per wave: 2, 2, 1
    assertThat(journal.events(Type.KILL)).extracting(JournalEvent::wave).containsExactly(1, 1, 2, 2, 3);
    assertThat(journal.events(Type.WAVE)).extracting(JournalEvent::at)
        .containsExactly(T0, T0.plusSeconds(5), T0.plusSeconds(10));
  }

  @Test
  void waves_withWaitUntilReady_startTheNextWaveOnlyWhenReplacementsAreReady() {
    cluster.pods(NS, "auth", 4);
    // A fake ReplicaSet controller: every deleted pod comes back, ready, 15 s later.
    journal.subscribe(e -> {
      if (e.type() == Type.KILL && e.outcome() == Outcome.OK) {
        pacer.after(Duration.ofSeconds(15), () -> cluster.pod(NS, e.name() + "-new", "auth"));
      }
    });

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth")
        .mode(new Mode.Waves(0.5, Duration.ofSeconds(10), true)).awaitReady(Duration.ofMinutes(1)).build(),
        journal);

    // The interval (10 s) is shorter than the recovery (15 s): wave 2 waits for readiness.
    assertThat(journal.events(Type.WAVE)).extracting(JournalEvent::at)
        .containsExactly(T0, T0.plusSeconds(15));
    assertThat(journal.events(Type.READY)).extracting(JournalEvent::at, JournalEvent::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(T0.plusSeconds(15), Outcome.OK),
            org.assertj.core.groups.Tuple.tuple(T0.plusSeconds(30), Outcome.OK));
    assertThat(r.timeToReady()).contains(Duration.ofSeconds(30));
    assertThat(remaining()).hasSize(4).allSatisfy(n -> assertThat(n).endsWith("-new"));
  }

  @Test
  void waves_whoseTargetsDoNotGetReady_stopAndSkipTheRest() {
    cluster.pods(NS, "auth", 4);

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth")
        .mode(new Mode.Waves(0.5, Duration.ofSeconds(10), true)).awaitReady(Duration.ofSeconds(20)).build(),
        journal);

    assertThat(r.acted()).isEqualTo(2);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(remaining()).hasSize(2);
    assertThat(journal.events(Type.READY)).singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.TIMEOUT));
    assertThat(journal.events(Type.KILL)).filteredOn(e -> e.outcome() == Outcome.SKIPPED).hasSize(2);
  }

  @Test
  void awaitReady_recordsTimeToReady_fromTheFirstAction() {
    cluster.pods(NS, "auth", 2);
    pacer.after(Duration.ofSeconds(7), () -> {
      cluster.pod(NS, "auth-a", "auth");
      cluster.pod(NS, "auth-b", "auth");
    });

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").awaitReady(Duration.ofMinutes(1)).build(),
        journal);

    assertThat(r.firstActionAt()).contains(T0);
    assertThat(r.timeToReady()).contains(Duration.ofSeconds(7));
    assertThat(journal.events(Type.READY)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("2/2 pods ready (2 new)"));
  }

  @Test
  void awaitReady_doesNotCountAReplacementThatIsNotReady() {
    cluster.pods(NS, "auth", 1);
    pacer.after(Duration.ofSeconds(3), () -> cluster.pod(NS, "auth-x", app("auth"), false, null));

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").awaitReady(Duration.ofSeconds(10)).build(),
        journal);

    assertThat(r.readyTimedOut()).isTrue();
    assertThat(r.timeToReady()).isEmpty();
  }

  @Test
  void dryRun_touchesNothing_andSaysWhatWouldHappen() throws Exception {
    cluster.pods(NS, "auth", 3);
    drainRequests();

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth")
        .mode(new Mode.Waves(0.5, Duration.ofSeconds(30), false)).dryRun(true).awaitReady().build(), journal);

    assertThat(r.dryRun()).isTrue();
    assertThat(r.acted()).isEqualTo(3);
    assertThat(remaining()).containsExactly("auth-0", "auth-1", "auth-2");
    assertThat(drainRequests()).allSatisfy(req -> assertThat(req.getMethod()).isIn("GET", "POST"))
        .filteredOn(req -> req.getMethod().equals("POST"))
        .allSatisfy(req -> assertThat(req.getPath()).contains("selfsubjectaccessreviews"));
    assertThat(journal.events(Type.KILL)).hasSize(3).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.DRY_RUN);
      assertThat(e.message()).startsWith("would delete pod test/auth-").contains("grace period 0s");
    });
    assertThat(journal.events(Type.WAVE)).extracting(JournalEvent::message)
        .containsExactly("wave 1/2: 2 targets at +0s (or later, if waiting until ready)",
            "wave 2/2: 1 target at +30s (or later, if waiting until ready)");
    assertThat(pacer.sleeps()).isEmpty();
    assertThat(journal.events(Type.READY)).isEmpty();
  }

  @Test
  void namespaceOutsideTheAllowList_isRefused_beforeAnyRequest() throws Exception {
    cluster.pods("other", "auth", 2);
    drainRequests();

    assertThatThrownBy(() -> engine.run(RestartPlan.builder(Target.of("other", "app.kubernetes.io/name=auth"))
        .build(), journal)).isInstanceOf(RestartRefusedException.class)
        .hasMessageContaining("namespace other").hasMessageContaining("allow-list [test]");

    assertThat(drainRequests()).isEmpty();
    assertThat(cluster.podNames("other")).hasSize(2);
    assertThat(journal.events()).isEmpty();
  }

  @Test
  void allowList_opensOtherNamespaces_butNeverKubeSystem() {
    cluster.pods("other", "auth", 2);
    cluster.pods("kube-system", "auth", 2);
    try (KubernetesEngine wide = engine(SafetyPolicy.DEFAULT.withAllowedNamespaces(Set.of("other",
        "kube-system")))) {
      assertThat(wide.run(RestartPlan.builder(Target.of("other", "app.kubernetes.io/name=auth")).build(), journal)
          .acted()).isEqualTo(2);
      assertThatThrownBy(() -> wide.run(RestartPlan.builder(Target.of("kube-system", "app.kubernetes.io/name=auth"))
          .build(), journal)).isInstanceOf(RestartRefusedException.class).hasMessageContaining("kube-");
    }
    assertThat(cluster.podNames("kube-system")).hasSize(2);
  }

  @Test
  void missingOrNegativeOnlySelector_isRefused() {
    assertThatThrownBy(() -> new Target(NS, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector");
    assertThatThrownBy(() -> Target.of(NS, " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector: empty");
    assertThatThrownBy(() -> Selector.parse("app.kubernetes.io/name!=auth"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only negative");
  }

  @Test
  void maxFraction_refusesPlansTakingTooMuchDownAtOnce_andAllowsPacedWaves() {
    cluster.pods(NS, "auth", 4);
    try (KubernetesEngine careful = engine(SafetyPolicy.DEFAULT.withMaxFraction(0.5))) {
      assertThatThrownBy(() -> careful.run(plan("app.kubernetes.io/name=auth").build(), journal))
          .isInstanceOf(RestartRefusedException.class).hasMessageContaining("4 of 4")
          .hasMessageContaining("max-fraction 0.50");
      assertThatThrownBy(() -> careful.run(plan("app.kubernetes.io/name=auth")
          .mode(new Mode.Waves(0.5, Duration.ofSeconds(1), false)).build(), journal))
          .isInstanceOf(RestartRefusedException.class).hasMessageContaining("without wait-until-ready");
      assertThat(remaining()).hasSize(4);

      RestartResult half = careful.run(plan("app.kubernetes.io/name=auth").mode(new Mode.FixedPercent(50)).build(),
          journal);
      assertThat(half.acted()).isEqualTo(2);
    }
  }

  @Test
  void noMatchingPod_isRefused() {
    cluster.pods(NS, "directory", 1);
    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").build(), journal))
        .isInstanceOf(RestartRefusedException.class)
        .hasMessage("no pods match selector app.kubernetes.io/name=auth in namespace test");
  }

  @Test
  void kill_withGracePeriod_sendsIt() throws Exception {
    cluster.pods(NS, "auth", 1);
    drainRequests();
    engine.run(plan("app.kubernetes.io/name=auth").action(Action.Kill.withGrace(Duration.ofSeconds(30))).build(),
        journal);
    RecordedRequest delete = drainRequests().stream().filter(r -> r.getMethod().equals("DELETE")).findFirst()
        .orElseThrow();
    assertThat(delete.getBody().readUtf8()).contains("\"gracePeriodSeconds\":30");
  }

  @Test
  void podReplacedUnderTheSameName_isNotKilled() {
    cluster.pods(NS, "web", 2);
    // Between wave 1 and wave 2 a StatefulSet-like controller recreates the wave-2 pod under its old name.
    journal.subscribe(e -> {
      if (e.type() == Type.WAVE && e.wave() == 1) {
        pacer.after(Duration.ofSeconds(1), () -> {
          List<String> left = remaining();
          String name = left.get(0);
          client.pods().inNamespace(NS).withName(name).delete();
          cluster.pod(NS, name, "web");
        });
      }
    });

    RestartResult r = engine.run(plan("app.kubernetes.io/name=web")
        .mode(new Mode.Waves(0.5, Duration.ofSeconds(5), false)).build(), journal);

    assertThat(r.acted()).isEqualTo(1);
    assertThat(r.notFound()).isEqualTo(1);
    assertThat(remaining()).hasSize(1);
    assertThat(journal.events(Type.KILL)).filteredOn(e -> e.outcome() == Outcome.NOT_FOUND).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("replaced"));
  }

  @Test
  void abort_duringWaves_stopsBeforeTheNextWave() {
    cluster.pods(NS, "auth", 6);
    pacer.after(Duration.ofSeconds(15), engine::abort);

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth")
        .mode(new Mode.Waves(1.0 / 3, Duration.ofSeconds(10), false)).build(), journal);

    assertThat(r.aborted()).isTrue();
    assertThat(r.acted()).isEqualTo(4);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(remaining()).hasSize(2);
    assertThat(journal.events(Type.ABORT)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("2 picked targets not acted on"));
    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").build(), journal))
        .isInstanceOf(RestartRefusedException.class).hasMessageContaining("aborted");
  }

  @Test
  void rollout_stampsTheRestartAnnotation_onTheOwningDeploymentAndStatefulSet() {
    Deployment auth = cluster.deployment(NS, "auth", 2);
    ReplicaSet rs = cluster.replicaSet(NS, "auth-5d9c7", auth);
    cluster.pod(NS, "auth-5d9c7-a", app("auth"), true, Cluster.controller(rs));
    cluster.pod(NS, "auth-5d9c7-b", app("auth"), true, Cluster.controller(rs));
    StatefulSet redis = cluster.statefulSet(NS, "redis", 1);
    cluster.pod(NS, "redis-0", Map.of("app.kubernetes.io/name", "redis", "app.kubernetes.io/part-of", "stampede"),
        true, Cluster.controller(redis));
    cluster.pod(NS, "debug", Map.of("app.kubernetes.io/part-of", "stampede"), true, null);

    RestartResult r = engine.run(plan("app.kubernetes.io/part-of=stampede").action(new Action.Rollout()).build(),
        journal);

    assertThat(r.picked()).containsExactlyInAnyOrder("Deployment/auth", "StatefulSet/redis");
    String stamp = "2026-01-01T00:00:00Z";
    assertThat(client.apps().deployments().inNamespace(NS).withName("auth").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsEntry(KubernetesEngine.RESTARTED_AT, stamp);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("redis").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsEntry(KubernetesEngine.RESTARTED_AT, stamp);
    assertThat(remaining()).hasSize(4); // rollout never deletes pods itself
    assertThat(journal.events(Type.ROLLOUT)).filteredOn(e -> e.outcome() == Outcome.SKIPPED).singleElement()
        .satisfies(e -> {
          assertThat(e.name()).isEqualTo("debug");
          assertThat(e.message()).contains("no controller");
        });
  }

  @Test
  void rollout_awaitReady_waitsForTheDeploymentToRollOut() {
    Deployment auth = cluster.deployment(NS, "auth", 2);
    ReplicaSet rs = cluster.replicaSet(NS, "auth-1", auth);
    cluster.pod(NS, "auth-1-a", app("auth"), true, Cluster.controller(rs));
    // The patch bumps the generation; the controller reports the finished rollout 20 s later.
    journal.subscribe(e -> {
      if (e.type() == Type.ROLLOUT && e.outcome() == Outcome.OK) {
        client.apps().deployments().inNamespace(NS).withName("auth").edit(d -> {
          d.getMetadata().setGeneration(2L);
          return d;
        });
        pacer.after(Duration.ofSeconds(20), () -> client.apps().deployments().inNamespace(NS).withName("auth")
            .edit(d -> {
              d.getStatus().setObservedGeneration(2L);
              return d;
            }));
      }
    });

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").action(new Action.Rollout())
        .awaitReady(Duration.ofMinutes(2)).build(), journal);

    assertThat(r.timeToReady()).contains(Duration.ofSeconds(20));
    assertThat(journal.events(Type.READY)).singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("1/1 workloads rolled out"));
  }

  @Test
  void evict_refusedWith429_isReportedAsPdbBlocked_andNotRetried() throws Exception {
    cluster.pods(NS, "auth", 2);
    server.expect().post().withPath("/api/v1/namespaces/test/pods/auth-0/eviction")
        .andReturn(429, new StatusBuilder().withCode(429).withReason("TooManyRequests")
            .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build())
        .always();
    server.expect().post().withPath("/api/v1/namespaces/test/pods/auth-1/eviction")
        .andReturn(201, new StatusBuilder().withStatus("Success").withCode(201).build()).once();
    drainRequests();

    RestartResult r = engine.run(plan("app.kubernetes.io/name=auth").action(new Action.Evict(
        java.util.Optional.of(Duration.ofSeconds(5)))).build(), journal);

    assertThat(r.pdbBlocked()).isEqualTo(1);
    assertThat(r.acted()).isEqualTo(1);
    assertThat(journal.events(Type.EVICT)).extracting(JournalEvent::name, JournalEvent::outcome)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("auth-0", Outcome.PDB_BLOCKED),
            org.assertj.core.groups.Tuple.tuple("auth-1", Outcome.OK));
    List<RecordedRequest> evictions = drainRequests().stream()
        .filter(q -> q.getPath().endsWith("/eviction")).toList();
    assertThat(evictions).hasSize(2); // one each: the 429 was not retried
    assertThat(evictions).allSatisfy(q -> {
      String body = q.getBody().readUtf8();
      assertThat(body).contains("\"gracePeriodSeconds\":5").contains("\"uid\":");
    });
    assertThat(r.summary()).contains("1 blocked by PodDisruptionBudget");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .extracting(ev -> ev.getInvolvedObject().getName() + " " + ev.getType() + " " + ev.getReason())
        .containsExactlyInAnyOrder("auth-0 Warning ChaosEvictBlocked", "auth-1 Normal ChaosEvict");
  }

  @Test
  void clientThatRetries_isReplacedByOneThatDoesNot_soA429IsNeverResent() throws Exception {
    cluster.pods(NS, "auth", 1);
    server.expect().post().withPath("/api/v1/namespaces/test/pods/auth-0/eviction")
        .andReturn(429, new StatusBuilder().withCode(429).withMessage("disruption budget").build()).always();
    var retrying = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(10).build();
    drainRequests();
    try (KubernetesClient patient = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(retrying)
        .build(); KubernetesEngine e = KubernetesEngine.builder(patient).pacer(pacer).build()) {
      RestartResult r = e.run(plan("app.kubernetes.io/name=auth").action(new Action.Evict(java.util.Optional.empty()))
          .build(), journal);
      assertThat(r.pdbBlocked()).isEqualTo(1);
    }
    assertThat(drainRequests()).filteredOn(q -> q.getPath().endsWith("/eviction")).hasSize(1);
  }

  @Test
  void fail_isRefused_withTheReason() {
    cluster.pods(NS, "auth", 1);
    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth")
        .action(new Action.Fail(Duration.ofSeconds(30))).build(), journal))
        .isInstanceOf(RestartRefusedException.class).hasMessageContaining("pod-failure")
        .hasMessageContaining("patch pods");
    assertThat(remaining()).hasSize(1);
  }

  @Test
  void forbiddenList_isAOneLineAccessError_evenForDryRun() {
    server.expect().get().withPath("/api/v1/namespaces/test/pods?labelSelector=app.kubernetes.io%2Fname%3Dauth")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(
            "pods is forbidden: User \"system:serviceaccount:test:chaos\" cannot list resource \"pods\" in API"
                + " group \"\" in the namespace \"test\"").build()).always();

    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").dryRun(true).build(), journal))
        .isInstanceOfSatisfying(ClusterAccessException.class, e -> {
          assertThat(e.reason()).isEqualTo(ClusterAccessException.Reason.FORBIDDEN);
          assertThat(e.getMessage()).doesNotContain("\n").contains("cannot list resource \"pods\"");
        });
  }

  @Test
  void deniedAccessReview_stopsBeforeTouchingAnything() {
    cluster.pods(NS, "auth", 2);
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReply(201, req -> {
          String body = req.getBody().readUtf8();
          boolean delete = body.contains("\"verb\":\"delete\"");
          return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
              + "\"spec\":{},\"status\":{\"allowed\":" + !delete + "}}";
        }).always();

    assertThatThrownBy(() -> engine.run(plan("app.kubernetes.io/name=auth").build(), journal))
        .isInstanceOfSatisfying(ClusterAccessException.class, e -> {
          assertThat(e.reason()).isEqualTo(ClusterAccessException.Reason.FORBIDDEN);
          assertThat(e.getMessage()).isEqualTo("forbidden: the current credentials may not delete pods in namespace"
              + " test (RBAC; see k8s/chaos for the Role this engine needs)");
        });
    assertThat(remaining()).hasSize(2);
  }

  @Test
  void unreachableCluster_isAOneLineAccessError() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var config = new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:" + port)
        .withNamespace("test").withTrustCerts(true).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient dead = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
        .build(); KubernetesEngine e = KubernetesEngine.builder(dead).pacer(pacer).build()) {
      assertThatThrownBy(() -> e.run(plan("app.kubernetes.io/name=auth").dryRun(true).build(), journal))
          .isInstanceOfSatisfying(ClusterAccessException.class, ex -> {
            assertThat(ex.reason()).isEqualTo(ClusterAccessException.Reason.UNREACHABLE);
            assertThat(ex.getMessage()).doesNotContain("\n")
                .startsWith("cannot reach the Kubernetes API server at https://127.0.0.1:" + port);
          });
    }
  }

  private List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }
}
