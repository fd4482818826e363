package dev.stampede.cli;

import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.local.AtomicFiles;
import dev.stampede.chaos.restart.local.LocalControl;
import dev.stampede.chaos.restart.local.LocalReplica;
import dev.stampede.chaos.restart.local.LocalStack;
import dev.stampede.chaos.restart.local.ServiceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede up}: Redis and the services as local processes, in the foreground until Ctrl-C or SIGTERM
 * (DESIGN §7).
 *
 * <p>Once every replica is ready it writes the endpoints, atomically, to {@code --json FILE} and to
 * {@code <state dir>/endpoints.json}; the admin credential for {@code SeedAccounts} goes, owner-readable only, to
 * {@code FILE.admin-credential} and {@code <state dir>/admin-credential}. The state directory
 * ({@code <checkout>/.stampede/up}) also holds the replica logs and the control socket through which
 * {@code stampede restart --engine local} acts on this stack. On exit everything started is stopped and these
 * files are removed, so their presence means "ready".
 */
@Command(name = "up", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Start Redis and the services as local processes (\"pods\") on free loopback ports and keep them"
        + " running until Ctrl-C or SIGTERM.",
        "Killed replicas come back on the same ports, like pods of a ReplicaSet; restart them with"
            + " 'stampede restart --engine local'."},
    footer = {"", "Files (removed on exit):",
        "  FILE                    endpoints {\"redis\":\"redis://127.0.0.1:P\",\"auth\":[\"127.0.0.1:P1\",...],"
            + "\"directory\":[...],\"relay\":[...]}",
        "  FILE.admin-credential   the admin credential of auth (SeedAccounts), mode 600",
        "  .stampede/up/           endpoints.json, admin-credential, logs/, control.sock"})
public final class UpCommand implements Callable<Integer> {

  static final Map<String, Integer> DEFAULT_REPLICAS = Map.of("auth", 2, "directory", 2, "relay", 1);
  /** Suffix of the credential file written next to {@code --json FILE}. */
  public static final String CREDENTIAL_SUFFIX = ".admin-credential";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--replicas", paramLabel = "SERVICE=N,...", converter = ReplicaCounts.class,
      description = "Replicas per service; services not named keep their default (auth=2,directory=2,relay=1); "
          + "0 leaves a service out.")
  ReplicaCounts.Counts replicas = new ReplicaCounts.Counts(Map.of());

  @Option(names = "--json", paramLabel = "FILE",
      description = "Write the endpoints here (atomically, once every replica is ready).")
  Path json;

  @Option(names = "--env", paramLabel = "KEY=VALUE",
      description = "An extra environment variable for every service, e.g. STAMPEDE_ADMISSION_ENABLED=false.")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(names = "--restart-delay", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "1s", description = "Delay before a killed replica is started again (default: ${DEFAULT-VALUE}).")
  Duration restartDelay;

  @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "2m", description = "How long to wait for every replica to be ready (default: ${DEFAULT-VALUE}).")
  Duration readyTimeout;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "State directory (default: <checkout>/.stampede/up).")
  Path stateDirOption;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Object lock = new Object();
  private Thread mainThread;
  private boolean started;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String key : env.keySet()) {
      if (!key.matches("[A-Z_][A-Z0-9_]*")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--env " + key
            + ": not an environment variable name (expected: [A-Z_][A-Z0-9_]*)");
      }
      if (key.startsWith("STAMPEDE_TOKEN_KEYS_") || key.startsWith("STAMPEDE_AUTH_ADMIN_")
          || key.equals("STAMPEDE_REDIS_URI") || key.startsWith("QUARKUS_HTTP_") || key.startsWith("QUARKUS_GRPC_")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--env " + key
            + ": set by up itself (fresh keys, credential, Redis and ports per run)");
      }
    }
    Path home = Home.path();
    Path stateDir = Home.upStateDir(stateDirOption);
    Path socket = stateDir.resolve(LocalControl.SOCKET);
    if (LocalControl.isServing(socket)) {
      err.println("stampede up: another stampede up is running (its control socket " + socket
          + " answers); stop it first");
      return 1;
    }

    Map<String, Integer> counts = new LinkedHashMap<>(DEFAULT_REPLICAS);
    counts.putAll(replicas.map());
    LocalStack.Builder builder = LocalStack.builder().restartDelay(restartDelay).readyTimeout(readyTimeout)
        .logDir(stateDir.resolve("logs"));
    List<String> plan = new ArrayList<>();
    int total = 0;
    for (String service : ServiceSpec.STANDARD) {
      int n = counts.getOrDefault(service, 0);
      if (n == 0) {
        continue;
      }
      Optional<ServiceSpec> spec = ServiceSpec.standard(home, service);
      if (spec.isEmpty()) {
        err.println("stampede up: " + service + " is not built (" + home.relativize(home.resolve(service
            + "-service/target/quarkus-app/quarkus-run.jar")) + " is missing); it is listed as []");
        continue;
      }
      builder.service(spec.get(), n);
      plan.add(service + " " + n);
      total += n;
    }
    env.forEach(builder::env);
    Journal journal = new Journal();
    builder.journal(journal);

    List<Path> written = new ArrayList<>();
    Path credentialNextToJson = json == null ? null : Path.of(json + CREDENTIAL_SUFFIX);
    deleteQuietly(json);
    deleteQuietly(credentialNextToJson);

    mainThread = Thread.currentThread();
    Signals.onTermination(signal -> {
      synchronized (lock) {
        stop.countDown();
        if (!started) {
          mainThread.interrupt(); // end the readiness waits of a start in progress
        }
      }
    }, () -> awaitQuietly(done));

    long t0 = System.nanoTime();
    err.println("stampede up: starting Redis" + (plan.isEmpty() ? "" : " and " + total + " replica"
        + (total == 1 ? "" : "s") + " (" + String.join(", ", plan) + ")") + " ...");
    LocalStack stack;
    try {
      stack = builder.start();
    } catch (RuntimeException e) {
      Thread.interrupted();
      done.countDown();
      if (stop.getCount() == 0) {
        err.println("stampede up: stopped before the stack was ready");
        return 0;
      }
      err.println("stampede up: " + firstLine(e.getMessage()));
      err.println("stampede up: logs are in " + stateDir.resolve("logs"));
      return 1;
    }
    synchronized (lock) {
      started = true;
      Thread.interrupted(); // a signal that came as the start finished is in the latch
    }
    LocalControl.Server control = null;
    try {
      control = LocalControl.serve(stateDir, stack);
      String credential = stack.adminCredential();
      AtomicFiles.write(stateDir.resolve("admin-credential"), credential + "\n", true);
      written.add(stateDir.resolve("admin-credential"));
      if (credentialNextToJson != null) {
        AtomicFiles.write(credentialNextToJson, credential + "\n", true);
        written.add(credentialNextToJson);
      }
      stack.endpoints().writeAtomically(stateDir.resolve("endpoints.json"));
      written.add(stateDir.resolve("endpoints.json"));
      if (json != null) {
        stack.endpoints().writeAtomically(json);
        written.add(json);
      }
      printTable(out, stack, stateDir, Duration.ofNanos(System.nanoTime() - t0));
      journal.subscribe(new EventPrinter(err, false));
      awaitQuietly(stop);
      err.println("stampede up: stopping ...");
      return 0;
    } catch (RuntimeException e) {
      err.println("stampede up: " + firstLine(e.getMessage()));
      return 1;
    } finally {
      long s0 = System.nanoTime();
      if (control != null) {
        control.close();
      }
      stack.close();
      written.forEach(UpCommand::deleteQuietly);
      err.printf(Locale.ROOT, "stampede up: stopped in %.1f s%n", (System.nanoTime() - s0) / 1e9);
      err.flush();
      done.countDown();
    }
  }

  private void printTable(PrintWriter out, LocalStack stack, Path stateDir, Duration took) {
    out.printf(Locale.ROOT, "stampede up: ready in %.1f s%n%n", took.toMillis() / 1000.0);
    out.printf(Locale.ROOT, "%-10s %-12s %-22s %-22s %s%n", "SERVICE", "REPLICA", "GRPC", "HTTP", "PID");
    out.printf(Locale.ROOT, "%-10s %-12s %-22s %-22s %s%n", "redis", "redis", stack.redisUri(), "-",
        stack.redis().pid());
    for (LocalReplica r : stack.replicas()) {
      out.printf(Locale.ROOT, "%-10s %-12s %-22s %-22s %d%n", r.service(), r.name(), r.grpcEndpoint(),
          "127.0.0.1:" + r.httpPort(), r.pid());
    }
    for (String service : ServiceSpec.STANDARD) {
      if (stack.replicas(service).isEmpty()) {
        out.printf(Locale.ROOT, "%-10s %-12s %s%n", service, "-", "not running");
      }
    }
    out.println();
    out.println("endpoints:        " + (json != null ? json.toAbsolutePath() : stateDir.resolve("endpoints.json")));
    out.println("admin credential: " + (json != null ? Path.of(json + CREDENTIAL_SUFFIX).toAbsolutePath()
        : stateDir.resolve("admin-credential")) + " (for SeedAccounts; keep it secret)");
    out.println("logs:             " + stack.logDir());
    out.println("restart:          ./stampede restart --engine local --selector app.kubernetes.io/name=auth"
        + " --mode all");
    out.println();
    out.println("Ctrl-C stops everything.");
    out.flush();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // only the latch ends the wait
      }
    }
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort: a stale file is overwritten by the next run
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "failed";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
