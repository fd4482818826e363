package dev.stampede.admission.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Prometheus names the experiment runner reads must come out exactly (issue 3, item 9). */
class MetricNamesTest {
  @Test
  void prometheusScrape_exposesTheRunnersNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Admission admission = Admission.builder("auth").config(AdmissionConfig.defaults())
        .meterRegistry(registry).build()) {
      MethodMetrics m = admission.metrics().method("stampede.auth.v1.AuthService/Login");
      m.admitted(Priority.LOGIN, 2_000_000);
      m.rejected(Priority.LOGIN, RejectReason.QUEUE_TIMEOUT);
      admission.newWorkerPool("argon2", 1).close();

      String scrape = registry.scrape();

      assertThat(scrape).contains(
          "stampede_admission_limit{service=\"auth\"} 20",
          "stampede_admission_inflight{service=\"auth\"} 0",
          "stampede_admission_queue_length{service=\"auth\"} 0",
          "stampede_admission_queue_seconds_count{method=\"stampede.auth.v1.AuthService/Login\",priority=\"login\","
              + "service=\"auth\"} 1",
          "stampede_admission_queue_seconds_bucket{",
          "stampede_admission_admitted_total{method=\"stampede.auth.v1.AuthService/Login\",priority=\"login\","
              + "service=\"auth\"} 1",
          "stampede_admission_rejected_total{method=\"stampede.auth.v1.AuthService/Login\",priority=\"login\","
              + "reason=\"queue_timeout\",service=\"auth\"} 1",
          "stampede_admission_calendar_horizon_seconds{service=\"auth\"}",
          "stampede_admission_pool_queue_length{pool=\"argon2\",service=\"auth\"}",
          "stampede_admission_enabled{service=\"auth\"} 1");
    }
  }
}
