package dev.stampede.chaos.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String SCRAPE = """
      # HELP stampede_admission_limit Concurrency limit
      # TYPE stampede_admission_limit gauge
      stampede_admission_limit{service="auth",priority="login"} 12.0
      stampede_admission_limit{service="auth",priority="resume"} 20.0
      # TYPE stampede_admission_rejected_total counter
      stampede_admission_rejected_total{method="stampede.auth.v1.AuthService/Login",priority="login",reason="queue_timeout",service="auth"} 1234
      stampede_admission_rejected_total{method="x",priority="login",reason="overloaded",service="auth"} 6.0 1712345678000
      stampede_admission_queue_seconds_sum{service="auth"} 1.5
      stampede_admission_queue_seconds_count{service="auth"} 3
      weird_label{path="a\\"b\\\\c\\nd"} +Inf
      nan_metric NaN
      exemplar_total{a="b"} 4 # {trace_id="abc"} 1.0 1712345678.0
      this is not a sample
      {no_name="x"} 1
      unclosed{a="b} 3
      # EOF
      """;

  @Test
  void parse_readsNamesLabelsAndValues() {
    PrometheusText m = PrometheusText.parse(SCRAPE);

    assertThat(m.named("stampede_admission_limit")).hasSize(2)
        .allSatisfy(s -> assertThat(s.label("service")).isEqualTo("auth"));
    assertThat(m.sum("stampede_admission_limit")).isEqualTo(32.0);
    assertThat(m.max("stampede_admission_limit")).isEqualTo(20.0);
    assertThat(m.sum("stampede_admission_rejected_total")).isEqualTo(1240.0);
    assertThat(m.sum("stampede_admission_rejected_total", s -> "queue_timeout".equals(s.label("reason"))))
        .isEqualTo(1234.0);
    assertThat(m.named("stampede_admission_rejected_total").get(0).label("method"))
        .isEqualTo("stampede.auth.v1.AuthService/Login");
  }

  @Test
  void parse_unescapesLabelValuesAndReadsSpecialValues() {
    PrometheusText m = PrometheusText.parse(SCRAPE);

    assertThat(m.named("weird_label")).singleElement().satisfies(s -> {
      assertThat(s.label("path")).isEqualTo("a\"b\\c\nd");
      assertThat(s.value()).isInfinite();
    });
    assertThat(m.named("nan_metric").get(0).value()).isNaN();
    assertThat(m.sum("nan_metric")).isNull();
    assertThat(m.sum("exemplar_total")).isEqualTo(4.0);
  }

  @Test
  void malformedLines_areSkippedAndCounted() {
    PrometheusText m = PrometheusText.parse(SCRAPE);

    assertThat(m.malformedLines()).isEqualTo(3);
    assertThat(m.samples()).hasSize(9);
  }

  @Test
  void absentMetric_hasNoValue() {
    PrometheusText m = PrometheusText.parse("");

    assertThat(m.sum("stampede_admission_limit")).isNull();
    assertThat(m.max("stampede_admission_limit")).isNull();
    assertThat(m.has("x")).isFalse();
  }
}
