package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.chaos.experiment.Slo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {
  private final ReportJson json = new ReportJson();

  @Test
  void recoveredRun_hasTheSummarySlosJournalAndTimeline(@TempDir Path dir) throws Exception {
    RunReport r = SyntheticRuns.run("protected", true,
        List.of(Slo.parse("recovery_ratio <= 1.5"), Slo.parse("p99_resume_ms <= 500")));
    Path file = dir.resolve("out/report.json");

    json.write(r, file);
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));

    assertThat(root.path("experiment").asText()).isEqualTo("patch-tuesday");
    assertThat(root.path("setup").path("profile").asText()).isEqualTo("sdk");
    JsonNode s = root.path("summary");
    assertThat(s.path("clients").asInt()).isEqualTo(200);
    assertThat(s.path("bound_s").asDouble()).isEqualTo(10.0); // max(0, 5) + 200 / 40
    assertThat(s.path("recovered").asBoolean()).isTrue();
    // The 198th client (index 197) is back at 5 s + 197 × 0.05 s + 5 ms.
    assertThat(s.path("t99_s").asDouble()).isEqualTo(14.855);
    assertThat(s.path("recovery_ratio").asDouble()).isEqualTo(1.4855);
    // 198 resumes up to T99, within one 100 ms bucket of proration.
    assertThat(s.path("attempts_per_client").asDouble()).isBetween(0.98, 0.99);
    assertThat(s.path("p99_resume_ms").asDouble()).isBetween(2.9, 3.1);
    assertThat(s.path("login_attempts").asDouble()).isZero();
    assertThat(root.path("slos")).hasSize(2);
    assertThat(root.path("slos").get(0).path("held").asBoolean()).isTrue();
    assertThat(root.path("verdict").asText()).isEqualTo("pass");
    assertThat(root.path("journal").get(0).path("type").asText()).isEqualTo("kill");
    JsonNode timeline = root.path("timeline");
    assertThat(timeline).hasSize(80);
    assertThat(timeline.get(0).path("t_s").asDouble()).isEqualTo(-20.0);
    assertThat(timeline.get(25).path("rpcs").path("resume").path("successes").asInt()).isEqualTo(20);
    assertThat(timeline.get(25).path("servers").path("auth").path("limit").asDouble()).isEqualTo(12.0);
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void unrecoveredRun_writesNullsAndFails() {
    RunReport r = SyntheticRuns.run("unprotected", false, List.of(Slo.parse("recovery_ratio <= 1.5")));

    JsonNode s = json.toJson(r).path("summary");

    assertThat(s.path("recovered").asBoolean()).isFalse();
    assertThat(s.path("t99_s").isNull()).isTrue();
    assertThat(s.path("recovery_ratio").isNull()).isTrue();
    assertThat(s.path("p99_login_ms").isNull()).isTrue();
    assertThat(s.path("goodput_ratio_during_storm").asDouble()).isZero();
    assertThat(s.path("observed_s").asDouble()).isEqualTo(60.0);
    assertThat(json.toJson(r).path("slos").get(0).path("value").isNull()).isTrue();
    assertThat(json.toJson(r).path("verdict").asText()).isEqualTo("fail");
  }
}
