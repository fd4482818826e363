package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stampede.chaos.demo.DemoJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoJsonTest {

  @Test
  void document_hasExactlyTheFieldsOfTheIssue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.json");
    new DemoJson().write(200, 2, Path.of("target/demo/report.html"), List.of(
        SyntheticRuns.run("unprotected", false, List.of()), SyntheticRuns.run("admission_only", true, List.of()),
        SyntheticRuns.run("protected", true, List.of())), file);

    JsonNode root = new ObjectMapper().readTree(Files.readString(file));

    assertThat(root.fieldNames()).toIterable()
        .containsExactly("clients", "window_s", "report_html", "unprotected", "admission_only", "protected");
    assertThat(root.path("clients").asInt()).isEqualTo(200);
    assertThat(root.path("report_html").asText()).endsWith("target/demo/report.html").startsWith("/");
    for (String run : DemoJson.RUNS) {
      assertThat(root.path(run).fieldNames()).toIterable().containsExactly("admission", "profile", "capacity_per_s",
          "t_ready_s", "bound_s", "observed_s", "recovered", "t99_s", "recovery_ratio", "attempts_per_client",
          "goodput_ratio_during_storm");
    }
    JsonNode unprotected = root.path("unprotected");
    assertThat(unprotected.path("admission").asBoolean()).isFalse();
    assertThat(unprotected.path("profile").asText()).isEqualTo("skype2007");
    assertThat(unprotected.path("recovered").asBoolean()).isFalse();
    assertThat(unprotected.path("t99_s").isNull()).isTrue();
    assertThat(unprotected.path("recovery_ratio").isNull()).isTrue();
    JsonNode prot = root.path("protected");
    assertThat(prot.path("recovery_ratio").asDouble()).isEqualTo(1.4855);
    assertThat(prot.path("bound_s").asDouble()).isEqualTo(10.0);
  }

  @Test
  void unknownLabel_isRefused() {
    assertThatThrownBy(() -> new DemoJson().toJson(1, 1, Path.of("r.html"),
        List.of(SyntheticRuns.run("sideways", true, List.of())))).hasMessageContaining("sideways");
  }
}
