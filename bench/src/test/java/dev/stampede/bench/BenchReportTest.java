package dev.stampede.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  @TempDir
  Path dir;

  @Test
  void report_hasTheCommonFieldsInOrder_andTheRatioToTheAnchor() throws Exception {
    BenchReport r = BenchReport.named("resume").throughput(31_234.56, 0.8123, 4.56789).anchor(52_000)
        .put("resume_to_login", 1234.5678);
    Path file = dir.resolve("out/resume.json");

    r.write(file);

    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(List.of(json.fieldNames().next())).containsExactly("name");
    assertThat(json.get("name").asText()).isEqualTo("resume");
    assertThat(json.get("rps").asDouble()).isEqualTo(31_234.6);
    assertThat(json.get("p50_ms").asDouble()).isEqualTo(0.812);
    assertThat(json.get("p99_ms").asDouble()).isEqualTo(4.568);
    assertThat(json.get("anchor_rps").asDouble()).isEqualTo(52_000);
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.601);
    assertThat(json.get("resume_to_login").asDouble()).isEqualTo(1234.568);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void roundNumbers_printAsPlainDecimals_notInExponentForm() {
    String json = BenchReport.named("x").throughput(1000.0, 2.0, 30.0).anchor(50_000).toJson();

    assertThat(json).contains("\"rps\" : 1000.0", "\"anchor_rps\" : 50000.0").doesNotContain("E+");
  }

  @Test
  void anchorBeforeThroughput_isAProgrammingError() {
    assertThatThrownBy(() -> BenchReport.named("x").anchor(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void checkWritable_refusesDirectoriesAndUnwritablePlaces() throws Exception {
    assertThatThrownBy(() -> BenchReport.checkWritable(dir)).hasMessageContaining("is a directory");
    Path file = Files.writeString(dir.resolve("a-file"), "");
    assertThatThrownBy(() -> BenchReport.checkWritable(file.resolve("x.json")))
        .hasMessageContaining("--json: cannot write");
    BenchReport.checkWritable(dir.resolve("new/sub/report.json"));
  }

  @Test
  void names_areValidated() {
    assertThatThrownBy(() -> BenchReport.named("Bad Name")).hasMessageContaining("expected: [a-z0-9-]+");
  }
}
