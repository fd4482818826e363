package dev.stampede.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shortened overload benchmark (one multiple, 2 s windows) against real server processes: it checks the shape of
 * the JSON and that the mechanism works at all, never the benchmark targets (those are measured, not asserted).
 */
class OverloadBenchIT {
  @Test
  void shortRun_producesTheIssuesJson() {
    StringWriter text = new StringWriter();
    OverloadBench.Settings settings = OverloadBench.Settings
        .standard(true, System.getProperty("java.class.path"))
        .shortened(Duration.ofSeconds(2), 10);

    Map<String, Object> json = new OverloadBench(settings, new PrintWriter(text, true))
        .run();

    System.out.println(text);
    assertThat(json).containsOnlyKeys("capacity_rps", "runs", "anchor_reject_us");
    assertThat(((Number) json.get("capacity_rps")).doubleValue()).isPositive();
    assertThat(((Number) json.get("anchor_reject_us")).doubleValue()).isPositive();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> runs = (List<Map<String, Object>>) json.get("runs");
    assertThat(runs).hasSize(2);
    for (Map<String, Object> run : runs) {
      assertThat(run).containsOnlyKeys("mode", "offered_x", "goodput_rps", "goodput_ratio", "admitted_p99_ms",
          "latency_p99_ms", "rejected", "shed_cost_us");
      // The server's queue delay of an admitted call is part of its client-side latency.
      if (run.get("admitted_p99_ms") != null) {
        assertThat(((Number) run.get("admitted_p99_ms")).doubleValue())
            .isLessThanOrEqualTo(((Number) run.get("latency_p99_ms")).doubleValue());
      }
      assertThat(run.get("offered_x")).isEqualTo(10);
    }
    assertThat(runs.get(0).get("mode")).isEqualTo("protected");
    Map<String, Object> unprotected = runs.get(1);
    assertThat(unprotected.get("mode")).isEqualTo("unprotected");
    // The naive server never refuses: its clients time out instead.
    assertThat(((Number) unprotected.get("rejected")).longValue()).isZero();
    assertThat(unprotected.get("shed_cost_us")).isNull();
    for (Map<String, Object> run : runs) {
      // A shed cost only when something was refused (how much is measured, not asserted: the machine is shared).
      if (((Number) run.get("rejected")).longValue() == 0) {
        assertThat(run.get("shed_cost_us")).isNull();
      }
    }
    assertThat(text.toString()).contains("capacity:", "protected", "unprotected", "bare rejection");
  }
}
