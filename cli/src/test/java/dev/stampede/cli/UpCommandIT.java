package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stampede up} as a user runs it: a separate JVM, stopped by a signal. */
class UpCommandIT {

  @TempDir
  Path dir;

  Process up;
  final List<ProcessHandle> children = new ArrayList<>();

  @AfterEach
  void noProcessSurvives() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy(); // SIGTERM: up stops its children
      if (!up.waitFor(30, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
    List<ProcessHandle> survivors = new ArrayList<>();
    for (ProcessHandle child : children) {
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> !child.isAlive());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        survivors.add(child);
        child.destroyForcibly();
      }
    }
    assertThat(survivors).as("children that outlived up").isEmpty();
  }

  Process startUp(Path home, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dstampede.home=" + home, Main.class.getName(), "up"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectOutput(dir.resolve("up.out").toFile())
        .redirectError(dir.resolve("up.err").toFile()).start();
  }

  String log() throws IOException {
    return Files.readString(dir.resolve("up.out")) + Files.readString(dir.resolve("up.err"));
  }

  @Test
  void up_writesTheEndpointsOnceReady_survivesARestart_andStopsEverythingOnSigterm() throws Exception {
    Path home = FakeHome.create(dir.resolve("home"), "auth", "directory"); // relay is "not built"
    Path json = dir.resolve("out/stack.json");
    Path state = dir.resolve("state");
    up = startUp(home, "--json", json.toString(), "--replicas", "auth=2,directory=1", "--state-dir",
        state.toString(), "--restart-delay", "200ms");

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(json) || !up.isAlive());
    assertThat(up.isAlive()).as(log()).isTrue();
    children.addAll(up.descendants().toList());

    JsonNode endpoints = new ObjectMapper().readTree(Files.readString(json));
    List<String> keys = new ArrayList<>();
    endpoints.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("redis", "auth", "directory", "relay");
    assertThat(endpoints.path("redis").asText()).matches("redis://127\\.0\\.0\\.1:\\d+");
    assertThat(endpoints.path("auth")).hasSize(2);
    assertThat(endpoints.path("directory")).hasSize(1);
    assertThat(endpoints.path("relay")).isEmpty();
    for (JsonNode e : endpoints.path("auth")) {
      assertThat(listening(e.asText())).as(e.asText()).isTrue();
    }
    Path credential = Path.of(json + UpCommand.CREDENTIAL_SUFFIX);
    assertThat(Files.readString(credential).strip()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
    assertThat(Files.readString(state.resolve("endpoints.json"))).isEqualTo(Files.readString(json));
    String shown = log();
    assertThat(shown).contains("relay is not built", "auth-0", "auth-1", "directory-0", "Ctrl-C stops everything")
        .doesNotContain(Files.readString(credential).strip());

    // restart --engine local talks to this up through its control socket.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = StampedeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Path journal = dir.resolve("journal.json");
    int code = cli.execute("restart", "--state-dir", state.toString(), "-l", "app.kubernetes.io/name=auth",
        "--mode", "all", "--json", journal.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("acted on 2 of 2 picked", "ready again after");
    JsonNode doc = new ObjectMapper().readTree(Files.readString(journal));
    assertThat(doc.path("engine").asText()).isEqualTo("local");
    List<String> types = new ArrayList<>();
    for (Iterator<JsonNode> it = doc.path("events").elements(); it.hasNext(); ) {
      types.add(it.next().path("type").asText());
    }
    assertThat(types).contains("kill", "replica-exit", "replica-start", "replica-ready", "ready");
    for (JsonNode e : endpoints.path("auth")) {
      assertThat(listening(e.asText())).as("%s after the restart", e.asText()).isTrue();
    }
    children.addAll(up.descendants().toList());

    long t0 = System.nanoTime();
    up.destroy(); // SIGTERM
    assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    assertThat(up.exitValue()).as(log()).isZero();
    assertThat(log()).contains("stopped in");
    for (ProcessHandle child : children) {
      assertThat(child.isAlive()).as("pid %d (%s)", child.pid(), child.info().commandLine().orElse("?")).isFalse();
    }
    assertThat(json).doesNotExist();
    assertThat(credential).doesNotExist();
    assertThat(state.resolve("control.sock")).doesNotExist();
  }

  /**
   * Whether this JVM was started with SIGINT ignored: a test run started as a background job of a non-interactive
   * shell inherits that, so does the {@code up} process it starts, and Ctrl-C cannot reach it (as for any program
   * started so). Read from {@code /proc/self/status} (SigIgn, bit 1 = SIGINT).
   */
  static boolean sigintIgnored() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  @Test
  void ctrlC_stopsEverything_andExits0() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
        "SIGINT is ignored by this test run (started in the background): Ctrl-C cannot be delivered");
    Path home = FakeHome.create(dir.resolve("home"), "auth");
    Path json = dir.resolve("stack.json");
    up = startUp(home, "--json", json.toString(), "--replicas", "auth=1,directory=0,relay=0", "--state-dir",
        dir.resolve("state").toString());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(json) || !up.isAlive());
    assertThat(up.isAlive()).as(log()).isTrue();
    children.addAll(up.descendants().toList());
    assertThat(children).hasSizeGreaterThanOrEqualTo(2); // redis and auth-0

    new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();

    assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(log()).isZero();
    for (ProcessHandle child : children) {
      assertThat(child.isAlive()).as("pid %d", child.pid()).isFalse();
    }
  }

  @Test
  void restartGettingSigterm_stopsBeforeTheNextWave_writesTheJournal_andExits143() throws Exception {
    Path home = FakeHome.create(dir.resolve("home"), "auth");
    Path json = dir.resolve("stack.json");
    Path state = dir.resolve("state");
    up = startUp(home, "--json", json.toString(), "--replicas", "auth=2,directory=0,relay=0", "--state-dir",
        state.toString());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(json) || !up.isAlive());
    assertThat(up.isAlive()).as(log()).isTrue();
    children.addAll(up.descendants().toList());

    Path journal = dir.resolve("journal.json");
    Path restartOut = dir.resolve("restart.out");
    Process restart = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "restart", "--state-dir", state.toString(),
        "-l", "app.kubernetes.io/name=auth", "--mode", "waves", "--fraction", "0.5", "--interval", "5m",
        "--json", journal.toString()).redirectErrorStream(true).redirectOutput(restartOut.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(restartOut).contains("wave 1/2")
          && Files.readString(restartOut).contains(" kill ") || !restart.isAlive());
      assertThat(restart.isAlive()).as(Files.readString(restartOut)).isTrue();

      restart.destroy(); // SIGTERM, as when a chaos Job is deleted

      assertThat(restart.waitFor(20, TimeUnit.SECONDS)).as("aborted promptly").isTrue();
      assertThat(restart.exitValue()).as(Files.readString(restartOut)).isEqualTo(143);
    } finally {
      restart.destroyForcibly();
    }
    JsonNode doc = new ObjectMapper().readTree(Files.readString(journal));
    assertThat(doc.path("result").path("aborted").asBoolean()).isTrue();
    assertThat(doc.path("result").path("acted").asInt()).isEqualTo(1);
    List<String> types = new ArrayList<>();
    doc.path("events").forEach(e -> types.add(e.path("type").asText()));
    assertThat(types).contains("abort", "run-end");
    assertThat(types.stream().filter("kill"::equals)).as("wave 2 never ran").hasSize(1);
    assertThat(up.isAlive()).as("the stack keeps running").isTrue();
    children.addAll(up.descendants().toList());
  }

  @Test
  void badReplicas_exit2() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = StampedeCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("up", "--replicas", "auth=2,gateway=1")).isEqualTo(2);
    assertThat(err.toString()).contains("'gateway=1'");
    assertThat(cli.execute("up", "--replicas", "auth=99")).isEqualTo(2);
    assertThat(cli.execute("up", "--env", "STAMPEDE_TOKEN_KEYS_AUTH=x")).isEqualTo(2);
    assertThat(err.toString()).contains("set by up itself");
  }

  private static boolean listening(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
