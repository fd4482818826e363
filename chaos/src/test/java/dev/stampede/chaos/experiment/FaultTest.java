package dev.stampede.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultTest {

  private static Fault fault(String yaml) {
    return new ExperimentParser().parse("t.yaml", new StringReader(
        "name: x\npopulation: {clients: 1}\nstorm: {profile: sdk}\nfaults:\n  - " + yaml + "\n")).faults().get(0);
  }

  @Test
  void toPlanSpec_carriesEverySetValueUnderTheEngineKeys() {
    Map<String, Object> m = fault("{namespace: ns, selector: app.kubernetes.io/name=auth, mode: waves, "
        + "waves: {fraction: 0.25, interval: 1m30s, wait_until_ready: true}, action: evict, grace: 5s, "
        + "ready_timeout: 2m}").toPlanSpec();

    assertThat(m).containsExactly(Map.entry("namespace", "ns"), Map.entry("selector", "app.kubernetes.io/name=auth"),
        Map.entry("mode", "waves"), Map.entry("fraction", 0.25), Map.entry("interval", "90000ms"),
        Map.entry("waitUntilReady", true), Map.entry("action", "evict"), Map.entry("gracePeriod", "5000ms"),
        Map.entry("readyTimeout", "120000ms"));
  }

  @Test
  void toPlanSpec_leavesOutWhatIsNotSet() {
    Map<String, Object> m = fault("{selector: app=a, mode: fixed, value: 2, action: fail, duration: 500ms, "
        + "await_ready: false}").toPlanSpec();

    assertThat(m).containsOnlyKeys("selector", "mode", "value", "action", "duration");
    assertThat(m.get("value")).isEqualTo(2);
    assertThat(m.get("duration")).isEqualTo("500ms");
  }
}
