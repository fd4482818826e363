package dev.stampede.cli.bench;

import dev.stampede.bench.BenchReport;
import dev.stampede.bench.auth.AuthBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stampede bench login}: auth's password log-in throughput, resume_to_login, and the cost of a refusal. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Password log-in throughput of auth-service at the default Argon2id parameters, Resume in the same "
        + "run (resume_to_login), and the server CPU per log-in refused at 10x capacity.")
public final class BenchLoginCommand implements Callable<Integer> {
  @Mixin
  BenchOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    options.validate(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    AuthBench.Settings settings = options.quick ? AuthBench.Settings.quick(64) : AuthBench.Settings.full(64);
    BenchReport report = new AuthBench(settings, out).login();
    if (options.json != null) {
      report.write(options.json);
      out.println("wrote " + options.json);
    }
    out.flush();
    return 0;
  }
}
