package dev.stampede.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stampede version}: the Stampede version and the Java runtime. */
@Command(name = "version", description = "Print the Stampede version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }

  /** The version lines, from the jar manifest (or "development" when run from classes). */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StampedeCommand.class.getPackage().getImplementationVersion();
      return new String[] {
          "stampede " + (version != null ? version : "development"),
          "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
      };
    }
  }
}
