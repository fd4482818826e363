package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StampedeCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = StampedeCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void help_listsEveryCommand() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("version", "demo", "Usage: stampede");
  }

  @Test
  void unknownCommand_printsUsageOnStderrAndExits2() {
    int code = run("nope");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument", "nope", "Usage: stampede");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void noCommand_exits2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
  }

  @Test
  void version_printsStampedeAndJava() {
    assertThat(run("version")).isZero();

    assertThat(out.toString()).startsWith("stampede ").contains("java 17");
  }

  @Test
  void help_listsExperiment() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString()).contains("experiment");
  }
}
