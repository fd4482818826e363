package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stampede experiment} end to end on the local engine: a private Redis, the real auth and directory jars as
 * child processes, 60 clients seeded through {@code SeedAccounts}, logged in, registered and heartbeating, then
 * both pods killed while every client reboots within 2 s. The clients are {@code sdk} ones (resume first), so every
 * one of them must come back on its own through the pod restarts: a device that paced itself out (its throttle
 * vetoing its own rounds) would leave the run unrecovered. One SLO that a working stack meets and one no stack can
 * meet: the run completes, writes both reports, and exits 1 naming the failed SLO.
 */
class ExperimentLocalIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private String home;

  @TempDir
  Path dir;

  @BeforeEach
  void repositoryRoot() {
    home = System.getProperty("stampede.home");
    System.setProperty("stampede.home", Path.of("..").toAbsolutePath().normalize().toString());
  }

  @AfterEach
  void restore() {
    if (home == null) {
      System.clearProperty("stampede.home");
    } else {
      System.setProperty("stampede.home", home);
    }
  }

  @Test
  void patchTuesdayInSmall_recovers_writesBothReports_andAnImpossibleSloExitsOne() throws Exception {
    Path file = dir.resolve("small.yaml");
    Files.writeString(file, """
        name: small-patch-tuesday
        description: both pods killed while 60 clients reboot within 2 s
        population: {clients: 60}
        stack: {admission: true, replicas: {auth: 1, directory: 1}}
        steady: {ramp_concurrency: 4, hold: 1s}
        calibration: {mix: auto, warmup: 1s, duration: 2s, concurrency: 4}
        faults:
          - name: pods killed
            at: 0s
            selector: app.kubernetes.io/name in (auth,directory)
            mode: all
            action: kill
            grace: 0s
        storm: {profile: sdk, clients: 100%, arrival: uniform, window: 2s}
        observation: {bound_multiple: 5, min: 30s, tail: 2s}
        slos:
          - recovered == true
          - recovery_ratio <= 0.001
        """);
    Path reports = dir.resolve("out");
    CommandLine commandLine = StampedeCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    int exit = commandLine.execute("experiment", file.toString(), "--out", reports.toString());

    String terminal = out.toString();
    assertThat(exit).as(terminal + err).isEqualTo(ExperimentCommand.EXIT_SLO_FAILED);
    assertThat(terminal).contains("C = ", "T99", "recovered == 1", "recovery_ratio <= 0.001",
        "verdict: FAIL (1 of 2 SLOs hold)");
    JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
    assertThat(report.get("verdict").asText()).isEqualTo("fail");
    JsonNode slos = report.get("slos");
    assertThat(slos).hasSize(2);
    assertThat(slos.get(0).toString()).contains("\"held\":true");
    assertThat(slos.get(1).toString()).contains("\"held\":false");
    // The faults acted and were journaled; the timeline covers the run; every client came back.
    assertThat(report.get("journal").toString()).contains("auth-0", "directory-0", "kill");
    assertThat(report.get("timeline").size()).isGreaterThan(10);
    JsonNode recovery = report.get("summary");
    assertThat(recovery.get("recovered").asBoolean()).as(recovery.toString()).isTrue();
    // Every client back by T99 sent at least one answered auth RPC in [t0, T99]. With one Resume per client (servers
    // that hold calls rather than refuse them) the figure sits at about 1, a little under when a Resume was sent in
    // the 100 ms bucket that T99 cuts (counted in proportion) or by one of the last 1 %, back after T99.
    assertThat(recovery.get("attempts_per_client").asDouble()).isGreaterThan(0.9);
    String html = Files.readString(reports.resolve("report.html"));
    // Self-contained: nothing is fetched (the only URL is the SVG namespace).
    assertThat(html).contains("<svg", "small-patch-tuesday").doesNotContain("src=", "href=\"http", "url(http", "@import");
  }
}
