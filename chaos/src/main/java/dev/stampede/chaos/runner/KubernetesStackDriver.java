package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.KubernetesTarget;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.PlanSpec;
import dev.stampede.chaos.restart.RestartEngine;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.SafetyPolicy;
import dev.stampede.chaos.restart.kubernetes.KubernetesEngine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code kubernetes} engine's system under test: the services as deployed, reached from inside the cluster
 * (the runner runs as a Job) through the experiment's {@code kubernetes:} section — gRPC targets such as
 * {@code dns:///auth.stampede.svc.cluster.local:9000} on headless Services, balanced round robin over every pod the
 * name resolves to; {@code /q/metrics} of every pod behind each metrics URL ({@link HeadlessTargets}); the admin
 * credential from an environment variable (a Secret); faults through the {@link KubernetesEngine}, confined to
 * the experiment's namespace. Admission control is whatever the deployment runs with; the experiment's
 * {@code stack.admission} says what to report.
 *
 * <p>Pods that restart come back with new addresses, so DNS answers must not be cached for long: the driver lowers
 * the JVM's and gRPC's positive DNS cache to {@value #DNS_CACHE_SECONDS} s unless the operator set them.
 *
 * <p>Thread-safe. {@link #close()} closes the clients, never anything in the cluster.
 */
public final class KubernetesStackDriver extends SdkStackDriver {
  /** How long resolved pod addresses are trusted. */
  static final int DNS_CACHE_SECONDS = 1;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesTarget target;
  private final RestartEngine engine;
  private final String credential;
  private final boolean admission;
  private final HeadlessTargets metrics;
  private final AutoCloseable client;

  KubernetesStackDriver(KubernetesTarget target, RestartEngine engine, String credential, boolean admission,
      HeadlessTargets.Resolver resolver, AutoCloseable client) {
    this.client = client;
    this.target = target;
    this.engine = engine;
    this.credential = credential;
    this.admission = admission;
    this.metrics = new HeadlessTargets(target.metrics(), resolver);
  }

  /**
   * Connects to the cluster (in-cluster service account, else {@code $KUBECONFIG} or {@code ~/.kube/config}).
   *
   * @param env the environment (where the admin credential is)
   * @throws EngineUnavailableException if the experiment has no {@code kubernetes:} section, the credential's
   *     variable is not set, or the cluster's configuration cannot be read
   */
  public static KubernetesStackDriver connect(Experiment experiment, boolean admission,
      Function<String, String> env) {
    KubernetesTarget target = experiment.kubernetes().orElseThrow(() -> new EngineUnavailableException(
        "the kubernetes engine needs a 'kubernetes:' section in " + experiment.name()
            + " (gRPC targets of auth and directory, metrics URLs)"));
    String credential = env.apply(target.adminCredentialEnv());
    if (credential == null || credential.isBlank()) {
      throw new EngineUnavailableException("the kubernetes engine needs auth's admin credential in $"
          + target.adminCredentialEnv() + " (kubernetes.admin_credential_env), e.g. from the Secret auth uses");
    }
    KubernetesClient client;
    try {
      client = KubernetesEngine.connect(null, null, REQUEST_TIMEOUT);
    } catch (RuntimeException e) {
      throw new EngineUnavailableException("no cluster: " + e.getMessage());
    }
    lowerDnsCache();
    return new KubernetesStackDriver(target, engine(client, target), credential, admission,
        InetAddress::getAllByName, client);
  }

  /** The engine on a client, confined to the experiment's namespace (and the client's default). */
  static KubernetesEngine engine(KubernetesClient client, KubernetesTarget target) {
    SafetyPolicy policy = target.namespace().map(ns -> SafetyPolicy.DEFAULT.withAllowedNamespaces(Set.of(ns)))
        .orElse(SafetyPolicy.DEFAULT);
    return KubernetesEngine.builder(client).policy(policy).build();
  }

  private static void lowerDnsCache() {
    if (java.security.Security.getProperty("networkaddress.cache.ttl") == null
        && System.getProperty("sun.net.inetaddr.ttl") == null) {
      java.security.Security.setProperty("networkaddress.cache.ttl", Integer.toString(DNS_CACHE_SECONDS));
    }
    // gRPC's DNS resolver keeps its own cache, read from this system property (default 30 s).
    if (System.getProperty("networkaddress.cache.ttl") == null) {
      System.setProperty("networkaddress.cache.ttl", Integer.toString(DNS_CACHE_SECONDS));
    }
  }

  @Override
  public String engine() {
    return "kubernetes";
  }

  @Override
  public boolean admission() {
    return admission;
  }

  @Override
  protected String authTarget() {
    return target.auth();
  }

  @Override
  protected String directoryTarget() {
    return target.directory();
  }

  @Override
  protected String adminCredential() {
    return credential;
  }

  @Override
  public Map<String, List<URI>> metricsEndpoints() {
    return metrics.resolve();
  }

  @Override
  public FaultRun fault(Fault fault) {
    Map<String, Object> spec = new java.util.LinkedHashMap<>(fault.toPlanSpec());
    target.namespace().ifPresent(ns -> spec.putIfAbsent("namespace", ns));
    RestartPlan plan = PlanSpec.fromMap(spec, "faults[" + fault.name() + "]");
    Journal journal = new Journal();
    RestartResult result = engine.run(plan, journal);
    List<JournalEntry> events = journal.events().stream().map(KubernetesStackDriver::entry).toList();
    return new FaultRun(result.firstActionAt().orElse(result.startedAt()), result.timeToReady(),
        result.readyTimedOut(), events);
  }

  @Override
  public void close() {
    closeChannels();
    engine.close();
    try {
      client.close();
    } catch (Exception e) {
      // Nothing of the cluster depends on it.
    }
  }

  private static JournalEntry entry(JournalEvent e) {
    String name = e.name() == null ? "" : (e.namespace() == null ? "" : e.namespace() + "/") + e.name();
    return new JournalEntry(e.at(), e.engine(), e.type().id(), name, e.outcome() == null ? "" : e.outcome().id(),
        e.message() == null ? "" : e.message());
  }
}
