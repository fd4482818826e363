package dev.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.chaos.restart.AbortSignal;
import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalJson;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.RestartException;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.SafetyPolicy;
import dev.stampede.chaos.restart.Selector;
import dev.stampede.chaos.restart.Target;
import dev.stampede.chaos.restart.chaosmesh.PodChaosImport;
import dev.stampede.chaos.restart.kubernetes.KubernetesEngine;
import dev.stampede.chaos.restart.local.AtomicFiles;
import dev.stampede.chaos.restart.local.LocalControl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede restart}: restart pods of a Kubernetes namespace or replicas of a running {@code stampede up},
 * with Chaos Mesh's modes plus waves, printing every action as it happens.
 *
 * <p>Exit codes: 0 done (PodDisruptionBudget refusals are reported, not failures); 1 refused by a guard rail,
 * the cluster unreachable or forbidding a request, no local stack running, an action failed, or the targets not
 * ready again in time; 2 bad flags or a file that cannot be used; 130/143 aborted by Ctrl-C/SIGTERM (the
 * journal is still written).
 */
@Command(name = "restart", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Restart pods (--engine kubernetes) or the replicas of a running './stampede up' (--engine"
        + " local): kill, evict or rollout-restart them, all at once or in waves, and wait until they are ready.",
        "Modes as in Chaos Mesh: one, all, fixed (--value N), fixed-percent (--value P), random-max-percent"
            + " (--value P), plus waves (--fraction F --interval D [--wait-until-ready])."},
    footer = {"", "Examples:",
        "  stampede restart -l app.kubernetes.io/name=auth --mode all",
        "  stampede restart --engine kubernetes -n stampede -l app.kubernetes.io/name=auth \\",
        "      --mode waves --fraction 0.34 --interval 20s --wait-until-ready --dry-run",
        "  stampede restart --engine kubernetes --from-chaos-mesh pod-kill.yaml --json journal.json",
        "", "Exit codes: 0 done, 1 refused/unreachable/forbidden/failed/not ready, 2 bad flags, 130/143 aborted."})
public final class RestartCommand implements Callable<Integer> {

  /** Which engine. */
  enum EngineName { kubernetes, local }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--engine", defaultValue = "local", paramLabel = "ENGINE",
      description = "kubernetes, or local (the replicas of a running ./stampede up). Default: ${DEFAULT-VALUE}.")
  EngineName engine;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Namespace (kubernetes; default: the service account's or kubeconfig context's).")
  String namespace;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Label selector, required: e.g. app.kubernetes.io/name=auth.")
  String selector;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "one, all, fixed, fixed-percent, random-max-percent or waves (required).")
  String mode;

  @Option(names = "--value", paramLabel = "N", description = "Count (fixed) or percent (fixed-percent, "
      + "random-max-percent).")
  Integer value;

  @Option(names = "--fraction", paramLabel = "F", description = "waves: share of the pods per wave, in (0, 1].")
  Double fraction;

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "waves: time from one wave's start to the next.")
  Duration interval;

  @Option(names = "--wait-until-ready",
      description = "waves: also wait until the pods are ready again before the next wave.")
  boolean waitUntilReady;

  @Option(names = "--action", paramLabel = "ACTION", defaultValue = "kill",
      description = "kill, evict, rollout or fail (local only). Default: ${DEFAULT-VALUE}.")
  String action;

  @Option(names = "--grace-period", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "kill (default 0: SIGKILL-like) and evict (default: the pod's own).")
  Duration gracePeriod;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "fail: how long each target stays down.")
  Duration duration;

  @Option(names = "--from-chaos-mesh", paramLabel = "FILE",
      description = "Take action, mode, value and selector from a Chaos Mesh PodChaos file.")
  Path chaosMesh;

  @Option(names = "--dry-run", description = "Print exactly what would happen; touch nothing.")
  boolean dryRun;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the journal (every event, the result) here.")
  Path json;

  @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5m", description = "How long to wait until the targets are ready again (default: "
      + "${DEFAULT-VALUE}).")
  Duration readyTimeout;

  @Option(names = "--no-wait", description = "Return as soon as the last action is sent.")
  boolean noWait;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the random pick, to repeat a run.")
  Long seed;

  @Option(names = "--max-fraction", paramLabel = "F", defaultValue = "1.0",
      description = "Refuse to take down more than this share of the matched pods at once (default: "
          + "${DEFAULT-VALUE}).")
  double maxFraction;

  @Option(names = "--allow-namespace", paramLabel = "NS", split = ",",
      description = "kubernetes: namespaces besides the default one that may be acted in (never kube-*).")
  List<String> allowNamespaces = new ArrayList<>();

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubernetes: kubeconfig file (default: "
      + "in-cluster service account, $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "kubernetes: kubeconfig context.")
  String context;

  @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "10s", description = "kubernetes: connect and request timeout (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "local: the state directory of the running up (default: <checkout>/.stampede/up).")
  Path stateDir;

  private final AbortSignal abort = new AbortSignal();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile String signal;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> notes = new ArrayList<>();
    RestartPlan plan = plan(notes);
    if (!(maxFraction > 0 && maxFraction <= 1)) {
      throw usage("--max-fraction: " + maxFraction + " (expected: > 0 and <= 1)");
    }
    if (engine == EngineName.local) {
      for (String flag : new String[] {"--kubeconfig", "--context", "--allow-namespace", "--request-timeout"}) {
        if (matched(flag)) {
          throw usage(flag + " applies to --engine kubernetes");
        }
      }
      if (plan.target().namespace() != null) {
        notes.add("the local engine has one namespace (local); namespace " + plan.target().namespace()
            + " is ignored");
      }
    } else {
      if (matched("--state-dir")) {
        throw usage("--state-dir applies to --engine local");
      }
      if (plan.action() instanceof Action.Fail) {
        throw usage("--action fail (Chaos Mesh pod-failure) needs rights to patch pods and is not supported by "
            + "--engine kubernetes; use kill");
      }
    }
    notes.forEach(n -> err.println("note: " + n));

    Journal journal = new Journal();
    journal.subscribe(new EventPrinter(out, true));
    Signals.onTermination(name -> {
      signal = name;
      abort.set();
    }, () -> awaitQuietly(done));
    try {
      return engine == EngineName.kubernetes ? runKubernetes(plan, journal, out, err)
          : runLocal(plan, journal, out, err);
    } finally {
      done.countDown();
    }
  }

  private int runKubernetes(RestartPlan plan, Journal journal, PrintWriter out, PrintWriter err) {
    RestartResult result = null;
    String error = null;
    int code;
    KubernetesClient client = null;
    try {
      client = KubernetesEngine.connect(kubeconfig, context, requestTimeout);
      SafetyPolicy policy = new SafetyPolicy(new LinkedHashSet<>(allowNamespaces), maxFraction);
      try (KubernetesEngine k8s = KubernetesEngine.builder(client).policy(policy).build()) {
        result = k8s.run(plan, journal, abort);
      }
      code = exitCode(result, out);
    } catch (RestartException e) {
      error = e.getMessage();
      err.println("stampede restart: " + error);
      code = 1;
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
      err.println("stampede restart: " + error);
      code = 2;
    } finally {
      if (client != null) {
        client.close();
      }
    }
    writeJson("kubernetes", plan, result == null ? null : JournalJson.result(result), error, journal, err);
    return code;
  }

  private int runLocal(RestartPlan plan, Journal journal, PrintWriter out, PrintWriter err) {
    Path socket = Home.upStateDir(stateDir).resolve(LocalControl.SOCKET);
    JsonNode result = null;
    String error = null;
    int code;
    try {
      LocalControl.Answer answer = LocalControl.request(socket, plan, maxFraction, journal::record, abort);
      if (answer.errorMessage() != null) {
        error = answer.errorMessage();
        err.println("stampede restart: " + error);
        code = "invalid".equals(answer.errorKind()) ? 2 : 1;
      } else {
        result = answer.result();
        out.println(result.path("summary").asText());
        code = signal != null ? Signals.exitCode(signal)
            : result.path("failed").asInt() > 0 || result.path("ready_timed_out").asBoolean() ? 1 : 0;
      }
    } catch (RestartException e) {
      error = e.getMessage();
      err.println("stampede restart: " + error);
      code = signal != null ? Signals.exitCode(signal) : 1;
    }
    writeJson("local", plan, result, error, journal, err);
    return code;
  }

  private int exitCode(RestartResult result, PrintWriter out) {
    out.println(result.summary());
    if (signal != null || result.aborted()) {
      return Signals.exitCode(signal == null ? "TERM" : signal);
    }
    return result.failed() > 0 || result.readyTimedOut() ? 1 : 0;
  }

  private void writeJson(String engineName, RestartPlan plan, JsonNode result, String error, Journal journal,
      PrintWriter err) {
    if (json == null) {
      return;
    }
    ObjectNode doc = JournalJson.document(engineName, plan, null, error, journal.events());
    doc.set("result", result);
    try {
      AtomicFiles.write(json, JournalJson.write(doc) + "\n", false);
    } catch (RuntimeException e) {
      err.println("stampede restart: could not write " + json + ": " + e.getMessage());
    }
  }

  /** The plan from the flags or from a PodChaos file; usage errors exit 2. */
  private RestartPlan plan(List<String> notes) {
    RestartPlan.Builder b;
    if (chaosMesh != null) {
      for (String flag : new String[] {"--selector", "--namespace", "--mode", "--value", "--fraction", "--interval",
          "--wait-until-ready", "--action", "--grace-period", "--duration"}) {
        if (matched(flag)) {
          throw usage(flag + " cannot be combined with --from-chaos-mesh (the file says it)");
        }
      }
      PodChaosImport.Imported imported;
      try {
        imported = PodChaosImport.read(chaosMesh);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      notes.addAll(imported.notes());
      b = imported.plan().toBuilder();
    } else {
      if (selector == null) {
        throw usage("--selector is required (a restart never acts without one), e.g. -l app.kubernetes.io/name=auth");
      }
      if (mode == null) {
        throw usage("--mode is required: one, all, fixed, fixed-percent, random-max-percent or waves");
      }
      Target target;
      try {
        target = new Target(namespace, Selector.parse(selector));
      } catch (IllegalArgumentException e) {
        throw usage("--" + e.getMessage());
      }
      b = RestartPlan.builder(target).mode(mode()).action(action());
    }
    b.dryRun(dryRun);
    if (noWait) {
      b.noAwaitReady();
    } else {
      if (readyTimeout.isZero() || readyTimeout.isNegative()) {
        throw usage("--ready-timeout: " + readyTimeout + " (expected: > 0; use --no-wait not to wait)");
      }
      b.awaitReady(readyTimeout);
    }
    if (seed != null) {
      b.seed(seed);
    }
    return b.build();
  }

  private Mode mode() {
    boolean valued = mode.equals("fixed") || mode.equals("fixed-percent") || mode.equals("random-max-percent");
    if (value != null && !valued) {
      throw usage("--value applies to modes fixed, fixed-percent and random-max-percent, not " + mode);
    }
    if (!mode.equals("waves")) {
      for (String flag : new String[] {"--fraction", "--interval", "--wait-until-ready"}) {
        if (matched(flag)) {
          throw usage(flag + " applies to mode waves, not " + mode);
        }
      }
    }
    if (valued && value == null) {
      throw usage("--value is required for mode " + mode);
    }
    try {
      return switch (mode) {
        case "one" -> new Mode.One();
        case "all" -> new Mode.All();
        case "fixed" -> new Mode.Fixed(value);
        case "fixed-percent" -> new Mode.FixedPercent(value);
        case "random-max-percent" -> new Mode.RandomMaxPercent(value);
        case "waves" -> {
          if (fraction == null || interval == null) {
            throw usage("mode waves needs --fraction and --interval, e.g. --fraction 0.25 --interval 10s");
          }
          yield new Mode.Waves(fraction, interval, waitUntilReady);
        }
        default -> throw usage("--mode: '" + mode
            + "' (expected: one, all, fixed, fixed-percent, random-max-percent or waves)");
      };
    } catch (IllegalArgumentException e) {
      throw usage("--" + e.getMessage());
    }
  }

  private Action action() {
    if (gracePeriod != null && !action.equals("kill") && !action.equals("evict")) {
      throw usage("--grace-period applies to actions kill and evict, not " + action);
    }
    if (duration != null && !action.equals("fail")) {
      throw usage("--duration applies to action fail, not " + action);
    }
    try {
      return switch (action) {
        case "kill" -> Action.Kill.withGrace(gracePeriod == null ? Duration.ZERO : gracePeriod);
        case "evict" -> new Action.Evict(Optional.ofNullable(gracePeriod));
        case "rollout" -> new Action.Rollout();
        case "fail" -> {
          if (duration == null) {
            throw usage("action fail needs --duration, e.g. --duration 30s");
          }
          yield new Action.Fail(duration);
        }
        default -> throw usage("--action: '" + action + "' (expected: kill, evict, rollout or fail)");
      };
    } catch (IllegalArgumentException e) {
      throw usage("--" + e.getMessage());
    }
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
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
}
