package dev.stampede.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SloTest {

  @Test
  void judge_comparesWithTheOperator() {
    Slo slo = Slo.parse("recovery_ratio <= 1.5");

    assertThat(slo.judge(1.5).held()).isTrue();
    assertThat(slo.judge(1.51).held()).isFalse();
    assertThat(Slo.parse("goodput_ratio_during_storm > 0.9").judge(0.9).held()).isFalse();
    assertThat(Slo.parse("login_attempts == 0").judge(0.0).held()).isTrue();
    assertThat(Slo.parse("login_attempts != 0").judge(0.0).held()).isFalse();
  }

  @Test
  void judge_withoutAValue_doesNotHold() {
    Slo.Verdict v = Slo.parse("recovery_ratio <= 100").judge(null);

    assertThat(v.held()).isFalse();
    assertThat(v.value()).isNull();
    assertThat(Slo.parse("t99_s < 1").judge(Double.NaN).held()).isFalse();
  }

  @Test
  void recovered_acceptsBooleans() {
    assertThat(Slo.parse("recovered == true").threshold()).isEqualTo(1);
    assertThat(Slo.parse("recovered == false").threshold()).isZero();
    assertThatThrownBy(() -> Slo.parse("t99_s == true")).hasMessageContaining("expected: a number");
  }

  @Test
  void parse_rejectsInfinity() {
    assertThatThrownBy(() -> Slo.parse("t99_s < Infinity")).hasMessageContaining("finite");
  }
}
