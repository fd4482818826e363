package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.experiment.Slo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  private final SummaryTable table = new SummaryTable();

  @Test
  void render_showsTheMetricsAndTheVerdict() {
    String text = table.render(SyntheticRuns.run("protected", true,
        List.of(Slo.parse("recovery_ratio <= 1.5"), Slo.parse("attempts_per_client <= 0.5"))));

    assertThat(text).contains("bound = max(W, t_ready) + N/C", "10.00 s", "R = T99 / bound", "1.486")
        .contains("recovery_ratio <= 1.5", "PASS", "attempts_per_client <= 0.5", "FAIL")
        .contains("verdict: FAIL (1 of 2 SLOs hold)");
  }

  @Test
  void unrecoveredRun_saysSo() {
    String text = table.render(SyntheticRuns.run("unprotected", false, List.of(Slo.parse("recovery_ratio <= 5"))));

    assertThat(text).contains("not recovered in 60 s", "no value", "verdict: FAIL (0 of 1 SLOs hold)");
  }

  @Test
  void compare_putsRunsSideBySide() {
    String text = table.compare(List.of(SyntheticRuns.run("unprotected", false, List.of()),
        SyntheticRuns.run("protected", true, List.of())));

    assertThat(text.lines().findFirst().orElseThrow()).contains("unprotected", "protected");
    assertThat(text).contains("NO", "yes", "> 4.0");
  }
}
