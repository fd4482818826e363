package dev.stampede.chaos.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanSpecTest {

  @Test
  void minimalSpec_isKillAll_withTheTargetsOwnGracePeriod() {
    RestartPlan p = PlanSpec.fromMap(Map.of("selector", "app.kubernetes.io/name=auth"), "");
    assertThat(p.mode()).isEqualTo(new Mode.All());
    assertThat(p.action()).isEqualTo(new Action.Kill(Optional.empty()));
    assertThat(PlanSpec.fromMap(PlanSpec.toMap(p), "").action()).isEqualTo(p.action());
    assertThat(p.target().namespace()).isNull();
    assertThat(p.dryRun()).isFalse();
    assertThat(p.readyTimeout()).isEmpty();
  }

  @Test
  void everyField_roundTrips() {
    RestartPlan p = RestartPlan.builder(Target.of("stampede", "app.kubernetes.io/name in (auth,directory)"))
        .mode(new Mode.Waves(0.25, Duration.ofSeconds(90), true)).action(new Action.Evict(Optional.of(
            Duration.ofSeconds(5)))).dryRun(true).awaitReady(Duration.ofMinutes(3)).seed(42).build();
    Map<String, Object> map = PlanSpec.toMap(p);
    assertThat(map).containsEntry("interval", "1m30s").containsEntry("gracePeriod", "5s")
        .containsEntry("readyTimeout", "3m");
    RestartPlan back = PlanSpec.fromMap(map, "");
    assertThat(PlanSpec.toMap(back)).isEqualTo(map);
    assertThat(back.mode()).isEqualTo(p.mode());
    assertThat(back.action()).isEqualTo(p.action());
    assertThat(back.seed()).isEqualTo(p.seed());
  }

  @Test
  void experimentFaults_areReadAsPlans() {
    var experiment = new dev.stampede.chaos.experiment.ExperimentParser().parse("t.yaml", new java.io.StringReader("""
        name: x
        population: {clients: 1}
        storm: {profile: sdk}
        faults:
          - {selector: 'app.kubernetes.io/name in (auth,directory)', mode: all, action: kill, grace: 0s,
             ready_timeout: 2m}
          - {namespace: ns, selector: app.kubernetes.io/name=auth, mode: waves, action: evict, grace: 5s,
             waves: {fraction: 0.25, interval: 1m30s, wait_until_ready: true}}
          - {selector: app.kubernetes.io/name=relay, mode: fixed, value: 2, action: fail, duration: 500ms}
        """));
    List<RestartPlan> plans = experiment.faults().stream().map(f -> PlanSpec.fromMap(f.toPlanSpec(), "fault"))
        .toList();

    assertThat(plans.get(0).action()).isEqualTo(Action.Kill.immediately());
    assertThat(plans.get(0).target().selector()).hasToString("app.kubernetes.io/name in (auth,directory)");
    assertThat(plans.get(0).readyTimeout()).contains(Duration.ofMinutes(2));
    assertThat(plans.get(1).mode()).isEqualTo(new Mode.Waves(0.25, Duration.ofSeconds(90), true));
    assertThat(plans.get(1).action()).isEqualTo(new Action.Evict(Optional.of(Duration.ofSeconds(5))));
    assertThat(plans.get(1).target().namespace()).isEqualTo("ns");
    assertThat(plans.get(2).mode()).isEqualTo(new Mode.Fixed(2));
    assertThat(plans.get(2).action()).isEqualTo(new Action.Fail(Duration.ofMillis(500)));
  }

  @Test
  void chaosMeshStyleStringValue_isAccepted() {
    RestartPlan p = PlanSpec.fromMap(Map.of("selector", "a=b", "mode", "fixed-percent", "value", "50"), "");
    assertThat(p.mode()).isEqualTo(new Mode.FixedPercent(50));
  }

  @Test
  void errors_nameTheKey() {
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of(), "faults[0]"))
        .hasMessageStartingWith("faults[0].selector: missing");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "mode", "most"), "f"))
        .hasMessageStartingWith("f.mode: 'most'");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "mode", "fixed"), "f"))
        .hasMessageStartingWith("f.value: missing");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "mode", "waves", "fraction", 0.5), "f"))
        .hasMessageStartingWith("f.interval: missing");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "interval", "soon", "mode", "waves",
        "fraction", 0.5), "f")).hasMessageStartingWith("f.interval: 'soon'");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "action", "fail"), "f"))
        .hasMessageStartingWith("f.duration: missing");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a!=b"), "f"))
        .hasMessageStartingWith("f.selector:").hasMessageContaining("only negative");
    Map<String, Object> unknown = new HashMap<>(Map.of("selector", "a=b", "grace", "1s"));
    assertThatThrownBy(() -> PlanSpec.fromMap(unknown, "f")).hasMessageStartingWith("f.grace: unknown key");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "namespace", "Bad_NS"), "f"))
        .hasMessageStartingWith("f.namespace:");
    assertThatThrownBy(() -> PlanSpec.fromMap(Map.of("selector", "a=b", "seed", 1.5), "f"))
        .hasMessageStartingWith("f.seed:");
  }

  @Test
  void durations_parseGoStyle() {
    assertThat(Durations.parse("1m30s", "x")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("250ms", "x")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("2h", "x")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("0", "x")).isZero();
    assertThat(Durations.format(Duration.ofSeconds(3725))).isEqualTo("1h2m5s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    for (String bad : new String[] {"10", "s", "1 s", "-1s", "1d", "1s2"}) {
      assertThatThrownBy(() -> Durations.parse(bad, "interval")).as(bad)
          .hasMessageStartingWith("interval: '" + bad + "'");
    }
  }
}
