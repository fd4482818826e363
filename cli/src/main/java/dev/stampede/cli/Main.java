package dev.stampede.cli;

import picocli.CommandLine;

/** Entry point of the {@code stampede} command line; the {@code ./stampede} launcher execs it. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    Signals.install();
    System.exit(StampedeCommand.commandLine().execute(args));
  }
}
