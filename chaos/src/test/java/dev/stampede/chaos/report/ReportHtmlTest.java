package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.experiment.Slo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportHtmlTest {
  private final ReportHtml html = new ReportHtml();
  private final List<Slo> slos = List.of(Slo.parse("recovery_ratio <= 1.5"));

  @Test
  void page_isSelfContained() {
    String page = html.render("Stampede demo", List.of(SyntheticRuns.run("unprotected", false, slos),
        SyntheticRuns.run("protected", true, slos)));

    assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("<link")
        .doesNotContain("src=").doesNotContain("@import");
    Matcher urls = Pattern.compile("https?://[^\"' )]+").matcher(page);
    while (urls.find()) {
      assertThat(urls.group()).as("only the SVG namespace may look like a URL").isEqualTo("http://www.w3.org/2000/svg");
    }
  }

  @Test
  void eachRun_hasItsChartsWithTheBoundAndTheFaultWindow() {
    RunReport run = SyntheticRuns.run("protected", true, slos);
    String page = html.render("patch-tuesday", List.of(run));

    assertThat(count(page, "<svg")).isEqualTo(4);
    assertThat(page).contains("Online clients (session and presence)", "Auth RPCs per second",
        "Latency of successful RPCs", "admission limit");
    assertThat(page).contains("bound 10.0 s", "T99 14.9 s", "services restarting (t_ready)", "clients rebooting (W)",
        "C = 40.0/s", "99 %");
    assertThat(page).contains("resume p99", "<b class=\"good\">holds</b>");
    assertThat(page).doesNotContain("class=\"compare\"");
  }

  @Test
  void severalRuns_areComparedSideBySide() {
    String page = html.render("demo", List.of(SyntheticRuns.run("unprotected", false, slos),
        SyntheticRuns.run("admission_only", true, slos), SyntheticRuns.run("protected", true, slos)));

    assertThat(page).contains("class=\"compare\"", "Clients online again after the reboot");
    assertThat(count(page, "<h2>")).isEqualTo(3);
    assertThat(page).contains("<b class=\"bad\">no</b> (watched 60 s)");
  }

  @Test
  void text_isEscaped() {
    String page = html.render("a <b> & c", List.of(SyntheticRuns.run("x", true, slos)));

    assertThat(page).contains("a &lt;b&gt; &amp; c", "Pods &lt;and&gt; clients").doesNotContain("<and>");
  }

  @Test
  void write_createsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deep/report.html");
    html.write("t", List.of(SyntheticRuns.run("x", true, slos)), file);

    assertThat(Files.readString(file)).contains("</html>");
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
