package dev.stampede.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.cli.StampedeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The directory benchmarks' interface: listed, and bad input refused with exit 2 before anything starts. */
class DirectoryBenchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir
  Path dir;

  private int run(String... args) {
    CommandLine commandLine = StampedeCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void benchHelp_listsTheDirectoryBenchmarks() {
    assertThat(run("bench", "--help")).isZero();
    assertThat(out.toString()).contains("heartbeat", "lookup", "presence-memory");
  }

  @Test
  void badInput_isAUsageError_beforeAnyRun() throws Exception {
    assertThat(run("bench", "heartbeat", "--concurrency", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--concurrency: 0 (expected: 1..10000)");
    assertThat(run("bench", "lookup", "--users", "0")).isEqualTo(2);
    assertThat(run("bench", "presence-memory", "--devices", "-5")).isEqualTo(2);
    assertThat(run("bench", "presence-memory", "--devices", "lots")).isEqualTo(2);
    assertThat(run("bench", "heartbeat", "--json", dir.toString())).isEqualTo(2);
    Path notADir = dir.resolve("file");
    java.nio.file.Files.writeString(notADir, "x");
    assertThat(run("bench", "lookup", "--json", notADir.resolve("x.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--json: cannot write");
  }
}
