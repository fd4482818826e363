package dev.stampede.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code stampede demo}: the reboot-storm comparison (unprotected, admission only, protected). Not part of this
 * build yet; it says so and fails rather than printing anything that looks like a result.
 */
@Command(name = "demo", description = "Run the reboot-storm experiment unprotected and protected, and compare.")
public final class DemoCommand implements Callable<Integer> {
  /** Exit code when a command exists in the interface but not yet in this build. */
  static final int EXIT_NOT_BUILT = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(
        "stampede demo: not built yet — the reboot-storm experiment is not part of this build. Nothing was run.");
    return EXIT_NOT_BUILT;
  }
}
