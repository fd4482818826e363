package dev.stampede.chaos.restart.chaosmesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.RestartPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PodChaosImportTest {

  static final String POD_KILL = """
      apiVersion: chaos-mesh.org/v1alpha1
      kind: PodChaos
      metadata:
        name: kill-auth
        namespace: chaos-testing
      spec:
        action: pod-kill
        mode: fixed-percent
        value: "50"
        gracePeriod: 5
        selector:
          namespaces:
            - stampede
          labelSelectors:
            app.kubernetes.io/name: auth
          expressionSelectors:
            - key: app.kubernetes.io/part-of
              operator: In
              values: [stampede]
      """;

  PodChaosImport.Imported parse(String yaml) {
    return PodChaosImport.parse(yaml, "chaos.yaml");
  }

  @Test
  void podKill_mapsModeValueGraceAndSelector() {
    RestartPlan p = parse(POD_KILL).plan();
    assertThat(p.mode()).isEqualTo(new Mode.FixedPercent(50));
    assertThat(p.action()).isEqualTo(Action.Kill.withGrace(Duration.ofSeconds(5)));
    assertThat(p.target().namespace()).isEqualTo("stampede");
    assertThat(p.target().selector()).hasToString(
        "app.kubernetes.io/name=auth,app.kubernetes.io/part-of in (stampede)");
    assertThat(p.dryRun()).isFalse();
  }

  @Test
  void podKill_defaultsToGraceZero_andTheChaosNamespace() {
    RestartPlan p = parse("""
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        metadata: {name: k, namespace: stampede}
        spec:
          action: pod-kill
          mode: one
          selector:
            labelSelectors: {app.kubernetes.io/name: directory}
        """).plan();
    assertThat(p.action()).isEqualTo(Action.Kill.immediately());
    assertThat(p.target().namespace()).isEqualTo("stampede");
    assertThat(p.mode()).isEqualTo(new Mode.One());
  }

  @Test
  void podFailure_mapsToFail_withItsDuration_andSaysWhereItRuns() {
    PodChaosImport.Imported i = parse("""
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        metadata: {name: f}
        spec:
          action: pod-failure
          mode: all
          duration: 1m30s
          selector:
            labelSelectors: {app.kubernetes.io/name: relay}
        """);
    assertThat(i.plan().action()).isEqualTo(new Action.Fail(Duration.ofSeconds(90)));
    assertThat(i.plan().target().namespace()).isNull();
    assertThat(i.notes()).anySatisfy(n -> assertThat(n).contains("only the local engine"));
  }

  @Test
  void unsupportedFeatures_areRefused_namingTheField() {
    assertRefused(POD_KILL.replace("pod-kill", "container-kill"), "spec.action: container-kill");
    assertRefused(POD_KILL.replace("kind: PodChaos", "kind: NetworkChaos"), "kind: 'NetworkChaos'");
    assertRefused(POD_KILL.replace("kind: PodChaos", "kind: Schedule"), "CronJob");
    assertRefused(POD_KILL.replace("chaos-mesh.org/v1alpha1", "pingcap.com/v1alpha1"), "apiVersion:");
    assertRefused(POD_KILL.replace("- stampede", "- stampede\n      - other"), "2 namespaces");
    assertRefused(POD_KILL.replace("    labelSelectors:", "    fieldSelectors: {metadata.name: x}\n    labelSelectors:"),
        "spec.selector.fieldSelectors: not supported");
    assertRefused(POD_KILL.replace("  gracePeriod: 5", "  containerNames: [app]"), "spec.containerNames");
    assertRefused(POD_KILL.replace("  gracePeriod: 5", "  scheduler: {cron: '@every 1m'}"), "spec.scheduler");
    assertRefused(POD_KILL.replace("mode: fixed-percent", "mode: random"), "spec.mode: 'random'");
    assertRefused(POD_KILL.replace("value: \"50\"", "value: \"half\""), "spec.value: 'half'");
    assertRefused(POD_KILL.replace("value: \"50\"", "value: \"150\""), "spec.value: 150");
    assertRefused(POD_KILL.replace("gracePeriod: 5", "gracePeriod: -1"), "spec.gracePeriod");
    assertRefused(POD_KILL.replace("operator: In", "operator: Near"), "expressionSelectors[0].operator: 'Near'");
    assertRefused(POD_KILL + "---\n" + POD_KILL, "expected one PodChaos document, found 2");
    assertRefused("spec: [", "not valid YAML");
  }

  @Test
  void podFailureWithoutDuration_isRefused() {
    assertRefused(POD_KILL.replace("pod-kill", "pod-failure"), "spec.duration: required for pod-failure");
  }

  @Test
  void noSelector_orOnlyNegativeOnes_isRefused() {
    assertRefused("""
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        spec: {action: pod-kill, mode: all}
        """, "spec.selector: missing");
    assertRefused("""
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        spec:
          action: pod-kill
          mode: all
          selector:
            namespaces: [stampede]
        """, "selector: empty");
    assertRefused("""
        apiVersion: chaos-mesh.org/v1alpha1
        kind: PodChaos
        spec:
          action: pod-kill
          mode: all
          selector:
            expressionSelectors:
              - {key: app, operator: DoesNotExist}
        """, "only negative");
  }

  private void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("chaos.yaml: ").hasMessageContaining(message);
  }
}
