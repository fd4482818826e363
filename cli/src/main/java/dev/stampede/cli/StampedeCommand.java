package dev.stampede.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stampede}: the top-level command. Without a subcommand it prints usage to stderr and exits 2, as an
 * unknown command does.
 */
@Command(
    name = "stampede",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Stampede: survive reconnect storms. Replays a mass reboot against auth, directory and relay, "
        + "and scores recovery against the time physics allows.",
    subcommands = {
        VersionCommand.class,
        DemoCommand.class,
        dev.stampede.cli.bench.BenchCommand.class,
        ExperimentCommand.class,
        UpCommand.class,
        RestartCommand.class,
    },
    footer = {"", "Run 'stampede COMMAND --help' for the options of one command."})
public final class StampedeCommand implements Runnable {
  /** Exit code for bad usage (unknown command, bad flag), as picocli and sysexits-style tools use. */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** The configured command line, shared by {@link Main} and tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new StampedeCommand());
    commandLine.setExecutionExceptionHandler(StampedeCommand::handleExecutionException);
    commandLine.setParameterExceptionHandler(StampedeCommand::handleParameterException);
    return commandLine;
  }

  /** Bad usage: the message, picocli's suggestions if any, and always the usage; exit 2. */
  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println(e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    commandLine.usage(err);
    err.flush();
    return EXIT_USAGE;
  }

  /** An unexpected failure prints one readable line (the full trace only with STAMPEDE_DEBUG=1) and exits 1. */
  private static int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    err.println("stampede " + commandLine.getCommandName() + ": " + describe(e));
    if ("1".equals(System.getenv("STAMPEDE_DEBUG"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
