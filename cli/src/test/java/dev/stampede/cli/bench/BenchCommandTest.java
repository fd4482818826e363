package dev.stampede.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.cli.StampedeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench command's interface: what it lists and how it refuses bad input (exit 2, before any run). */
class BenchCommandTest {
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
  void help_listsTheBenchmarks() {
    assertThat(run("bench", "--help")).isZero();
    assertThat(out.toString()).contains("overload", "anchor", "relay");
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("bench");
  }

  @Test
  void missingOrUnknownBenchmark_exits2() {
    assertThat(run("bench")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing benchmark name");
    assertThat(run("bench", "nope")).isEqualTo(2);
  }

  @Test
  void unwritableJsonTarget_exits2BeforeRunning() throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "");

    assertThat(run("bench", "overload", "--quick", "--json", notADir.resolve("x.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--json: cannot write");
    assertThat(out.toString()).doesNotContain("capacity");
    assertThat(run("bench", "anchor", "--json", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is a directory");
    assertThat(run("bench", "relay", "--quick", "--json", dir.toString())).isEqualTo(2);
    assertThat(out.toString()).doesNotContain("MB/s");
  }

  @Test
  void badConcurrency_exits2() {
    assertThat(run("bench", "anchor", "--concurrency", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--concurrency: 0 (expected: 1..10000)");
    assertThat(run("bench", "anchor", "--concurrency", "many")).isEqualTo(2);
  }
}
