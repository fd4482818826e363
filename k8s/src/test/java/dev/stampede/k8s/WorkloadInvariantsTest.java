package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every rendering of the system (base, dev, prod) must guarantee for each service Deployment and for Redis:
 * selectors, Services, ports, probes, resources, budgets, autoscalers, shutdown timing, security.
 */
class WorkloadInvariantsTest {
  static final Set<String> SERVICES = Set.of("auth", "directory", "relay");
  /** The setting that bounds each service's drain after SIGTERM (the services' READMEs). */
  static final Map<String, String> DRAIN_SETTING = Map.of(
      "auth", "STAMPEDE_AUTH_DRAIN_TIMEOUT",
      "directory", "STAMPEDE_DIRECTORY_DRAIN_TIMEOUT",
      "relay", "STAMPEDE_RELAY_DRAIN_GRACE");
  /** Time after the drain for the gRPC server to stop and the JVM to exit. */
  static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

  static Container container(PodTemplateSpec t) {
    assertThat(t.getSpec().getContainers()).as("one container per pod").hasSize(1);
    return t.getSpec().getContainers().get(0);
  }

  static String app(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void theSystem_isThreeServiceDeploymentsAndARedisStatefulSet(String dir) {
    Manifests m = Manifests.rendered(dir);
    assertThat(m.deployments()).extracting(WorkloadInvariantsTest::app)
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    assertThat(m.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName()).containsExactly("redis");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void selectors_matchTheirPodTemplates_andPodsCarryTheDesignLabels(String dir) {
    Manifests m = Manifests.rendered(dir);
    m.podTemplates().forEach((workload, template) -> {
      Map<String, String> labels = template.getMetadata().getLabels();
      assertThat(labels).as(workload).containsKey(Labels.NAME);
    });
    for (Deployment d : m.deployments()) {
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(Labels.matches(d.getSpec().getSelector(), labels)).as(d.getMetadata().getName()).isTrue();
      assertThat(labels).containsEntry(Labels.NAME, d.getMetadata().getName())
          .containsEntry(Labels.PART_OF, "stampede");
      // The selector is immutable: it names only the labels DESIGN §2 fixes, never a version.
      assertThat(d.getSpec().getSelector().getMatchLabels()).containsOnlyKeys(Labels.NAME, Labels.PART_OF);
    }
    StatefulSet redis = m.get(StatefulSet.class, "redis");
    Map<String, String> redisLabels = redis.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(Labels.matches(redis.getSpec().getSelector(), redisLabels)).isTrue();
    assertThat(redisLabels).containsEntry(Labels.NAME, "redis").containsEntry(Labels.PART_OF, "stampede");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyService_selectsExactlyOneWorkload_andItsPortsAreThatWorkloadsContainerPorts(String dir) {
    Manifests m = Manifests.rendered(dir);
    Map<String, PodTemplateSpec> templates = m.podTemplates();
    for (Service s : m.services()) {
      List<Map.Entry<String, PodTemplateSpec>> selected = templates.entrySet().stream()
          .filter(e -> Labels.matches(s.getSpec().getSelector(), e.getValue().getMetadata().getLabels())).toList();
      assertThat(selected).as("workloads Service %s selects", s.getMetadata().getName()).hasSize(1);
      Container c = container(selected.get(0).getValue());
      for (ServicePort p : s.getSpec().getPorts()) {
        ContainerPort target = resolve(c, p.getTargetPort());
        assertThat(target).as("%s port %s targets a container port", s.getMetadata().getName(), p.getName())
            .isNotNull();
        assertThat(p.getPort()).as("%s port %s keeps the container's number", s.getMetadata().getName(),
            p.getName()).isEqualTo(target.getContainerPort());
        assertThat(p.getName()).isEqualTo(target.getName());
        assertThat(p.getProtocol()).isEqualTo("TCP");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyDeployment_hasAHeadlessServiceForClientSideBalancing(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (Deployment d : m.deployments()) {
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      List<Service> headless = m.services().stream().filter(s -> "None".equals(s.getSpec().getClusterIP()))
          .filter(s -> Labels.matches(s.getSpec().getSelector(), labels)).toList();
      assertThat(headless).as(d.getMetadata().getName()).hasSize(1);
      Service s = headless.get(0);
      // The name clients use: dns:///<service>.<namespace>.svc.cluster.local:9000.
      assertThat(s.getMetadata().getName()).isEqualTo(d.getMetadata().getName());
      // Only ready pods are in DNS: a client never balances onto a starting or draining pod.
      assertThat(s.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
      ServicePort grpc = s.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc")).findFirst()
          .orElseThrow();
      assertThat(grpc.getPort()).isEqualTo(9000);
      assertThat(grpc.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void containerPorts_areThePortsTheAppsAreConfiguredFor(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (Deployment d : m.deployments()) {
      Container c = container(d.getSpec().getTemplate());
      Map<String, String> env = effectiveEnv(m, c);
      int http = port(c, "http");
      int grpc = port(c, "grpc");
      // Kubernetes pods use HTTP 8080 and gRPC 9000 (DESIGN §2 conventions).
      assertThat(http).as("%s http", app(d)).isEqualTo(8080);
      assertThat(grpc).as("%s grpc", app(d)).isEqualTo(9000);
      Optional<ServiceModule> module = ServiceModule.of(app(d));
      int appHttp = Optional.ofNullable(env.get("QUARKUS_HTTP_PORT")).map(Integer::parseInt)
          .orElseGet(() -> module.map(ServiceModule::httpPort).orElse(ServiceModule.QUARKUS_HTTP_PORT));
      int appGrpc = Optional.ofNullable(env.get("QUARKUS_GRPC_SERVER_PORT")).map(Integer::parseInt)
          .orElseGet(() -> module.map(ServiceModule::grpcPort).orElse(ServiceModule.QUARKUS_GRPC_PORT));
      assertThat(appHttp).as("%s listens for HTTP on", app(d)).isEqualTo(http);
      assertThat(appGrpc).as("%s listens for gRPC on", app(d)).isEqualTo(grpc);
    }
    assumeTrue(SERVICES.stream().allMatch(s -> ServiceModule.of(s).isPresent()),
        "not every service module is in this checkout: its application.properties was not compared");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyDeployment_hasStartupReadinessAndLivenessProbes_onTheHealthEndpoints(String dir) {
    for (Deployment d : Manifests.rendered(dir).deployments()) {
      Container c = container(d.getSpec().getTemplate());
      String name = app(d);
      assertHealthProbe(c, c.getStartupProbe(), "/q/health/started", name + " startup");
      assertHealthProbe(c, c.getReadinessProbe(), "/q/health/ready", name + " readiness");
      assertHealthProbe(c, c.getLivenessProbe(), "/q/health/live", name + " liveness");
      // The start-up budget covers the service's own 30 s gRPC start-up timeout.
      assertThat(window(c.getStartupProbe())).as(name).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
      // Liveness is slow to act: a pod busy with a storm must not be restarted (that would take capacity away).
      assertThat(window(c.getLivenessProbe())).as(name).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
      // Readiness leaves DNS within seconds, but one slow answer (a GC pause) does not flap it.
      assertThat(c.getReadinessProbe().getFailureThreshold()).as(name).isGreaterThanOrEqualTo(2);
      assertThat(window(c.getReadinessProbe())).as(name).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
    StatefulSet redis = Manifests.rendered(dir).get(StatefulSet.class, "redis");
    Container r = container(redis.getSpec().getTemplate());
    assertThat(r.getStartupProbe()).isNotNull();
    assertThat(r.getReadinessProbe()).isNotNull();
    assertThat(r.getLivenessProbe()).isNotNull();
  }

  private static void assertHealthProbe(Container c, Probe probe, String path, String what) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet()).as(what).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    ContainerPort port = resolve(c, probe.getHttpGet().getPort());
    assertThat(port).as(what + " port").isNotNull();
    assertThat(port.getName()).as(what + " port").isEqualTo("http");
    assertThat(probe.getTimeoutSeconds()).as(what + " timeout").isNotNull().isGreaterThanOrEqualTo(2);
  }

  private static Duration window(Probe p) {
    int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
    int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    return Duration.ofSeconds((long) period * failures);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyContainer_hasRequestsAndLimits_andItsMemoryIsGuaranteed(String dir) {
    Manifests m = Manifests.rendered(dir);
    m.podTemplates().forEach((workload, t) -> {
      for (Container c : t.getSpec().getContainers()) {
        var res = c.getResources();
        assertThat(res).as(workload).isNotNull();
        for (String r : List.of("cpu", "memory")) {
          assertThat(res.getRequests()).as("%s requests", workload).containsKey(r);
          assertThat(res.getLimits()).as("%s limits", workload).containsKey(r);
          assertThat(amount(res.getRequests().get(r))).as("%s %s request <= limit", workload, r)
              .isLessThanOrEqualTo(amount(res.getLimits().get(r)));
        }
        // Memory request = limit: the scheduler reserves what the pod may use, so no neighbour gets it OOM-killed.
        assertThat(amount(res.getRequests().get("memory"))).as("%s memory", workload)
            .isEqualByComparingTo(amount(res.getLimits().get("memory")));
      }
    });
  }

  static BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyDeployment_hasADisruptionBudget_whoseMinAvailableIsBelowItsReplicas(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (Deployment d : m.deployments()) {
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      List<PodDisruptionBudget> budgets = m.budgets().stream()
          .filter(b -> Labels.matches(b.getSpec().getSelector(), labels)).toList();
      assertThat(budgets).as(d.getMetadata().getName()).hasSize(1);
      PodDisruptionBudget b = budgets.get(0);
      IntOrString min = b.getSpec().getMinAvailable();
      assertThat(min).as("%s budget names minAvailable", app(d)).isNotNull();
      assertThat(min.getIntVal()).as("%s minAvailable as a number", app(d)).isNotNull();
      int replicas = d.getSpec().getReplicas();
      assertThat(min.getIntVal()).as("%s minAvailable < replicas, or nothing could ever be evicted", app(d))
          .isLessThan(replicas);
      if (replicas >= 3) {
        // A disruption never takes more than one pod at a time while the service runs three or more.
        assertThat(min.getIntVal()).as(app(d)).isEqualTo(replicas - 1);
      }
      assertThat(b.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyDeployment_hasAnAutoscaler_thatStartsAtItsReplicas_andScalesDownSlowly(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (Deployment d : m.deployments()) {
      List<HorizontalPodAutoscaler> hpas = m.autoscalers().stream()
          .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
              && h.getSpec().getScaleTargetRef().getName().equals(d.getMetadata().getName()))
          .toList();
      assertThat(hpas).as(d.getMetadata().getName()).hasSize(1);
      var spec = hpas.get(0).getSpec();
      assertThat(spec.getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
      // Applying the manifests again resets replicas: at the HPA's minimum that is never a scale-down below it.
      assertThat(spec.getMinReplicas()).as(app(d)).isEqualTo(d.getSpec().getReplicas());
      assertThat(spec.getMaxReplicas()).as(app(d)).isGreaterThan(spec.getMinReplicas());
      assertThat(spec.getMetrics()).as(app(d)).isNotEmpty();
      assertThat(spec.getBehavior().getScaleDown().getStabilizationWindowSeconds()).as(app(d))
          .isGreaterThanOrEqualTo(120);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void terminationGrace_coversPreStopDrainAndQuarkusShutdown(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (Deployment d : m.deployments()) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      Container c = container(d.getSpec().getTemplate());
      String name = app(d);
      assertThat(c.getLifecycle()).as(name).isNotNull();
      assertThat(c.getLifecycle().getPreStop()).as(name).isNotNull();
      assertThat(c.getLifecycle().getPreStop().getSleep()).as("%s preStop sleeps", name).isNotNull();
      Duration preStop = Duration.ofSeconds(c.getLifecycle().getPreStop().getSleep().getSeconds());
      assertThat(preStop).as(name).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));

      Map<String, String> env = effectiveEnv(m, c);
      String drainKey = DRAIN_SETTING.get(name);
      assertThat(env).as("%s sets its drain explicitly", name).containsKey(drainKey);
      Duration drain = ServiceModule.duration(env.get(drainKey));
      Duration quarkusShutdown = Optional.ofNullable(env.get("QUARKUS_SHUTDOWN_TIMEOUT")).map(ServiceModule::duration)
          .or(() -> ServiceModule.of(name).flatMap(ServiceModule::shutdownTimeout)).orElse(Duration.ZERO);
      Duration needed = preStop.plus(drain).plus(quarkusShutdown).plus(EXIT_MARGIN);
      assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()))
          .as("%s: terminationGracePeriodSeconds >= preStop %s + drain %s + quarkus.shutdown.timeout %s + %s",
              name, preStop, drain, quarkusShutdown, EXIT_MARGIN)
          .isGreaterThanOrEqualTo(needed);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyPod_runsAsNonRoot_onAReadOnlyRootFilesystem_withAWritableTmp(String dir) {
    Manifests m = Manifests.rendered(dir);
    m.podTemplates().forEach((workload, t) -> {
      PodSpec pod = t.getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(workload).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(workload).isNotNull().isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(workload).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      for (Container c : pod.getContainers()) {
        var sc = c.getSecurityContext();
        assertThat(sc).as(workload).isNotNull();
        assertThat(sc.getAllowPrivilegeEscalation()).as(workload).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).as(workload).isTrue();
        assertThat(sc.getPrivileged()).as(workload).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).as(workload).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(workload).isNullOrEmpty();
        String tmpVolume = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/tmp"))
            .map(io.fabric8.kubernetes.api.model.VolumeMount::getName).findFirst().orElse(null);
        assertThat(tmpVolume).as("%s mounts /tmp", workload).isNotNull();
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(tmpVolume)).findFirst().orElseThrow();
        assertThat(v.getEmptyDir()).as("%s /tmp is an emptyDir", workload).isNotNull();
        assertThat(v.getEmptyDir().getSizeLimit()).as("%s /tmp is bounded", workload).isNotNull();
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void noServicePod_mountsAServiceAccountToken(String dir) {
    Manifests m = Manifests.rendered(dir);
    m.podTemplates().forEach((workload, t) -> {
      PodSpec pod = t.getSpec();
      assertThat(pod.getAutomountServiceAccountToken()).as(workload).isFalse();
      assertThat(pod.getEnableServiceLinks()).as("%s: no service env vars leak into the config", workload)
          .isFalse();
      String sa = pod.getServiceAccountName();
      assertThat(sa).as(workload).isNotNull();
      ServiceAccount account = m.get(ServiceAccount.class, sa);
      assertThat(account.getAutomountServiceAccountToken()).as(sa).isFalse();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyDeployment_spreadsItsPodsOverNodes(String dir) {
    for (Deployment d : Manifests.rendered(dir).deployments()) {
      PodTemplateSpec t = d.getSpec().getTemplate();
      List<TopologySpreadConstraint> spread = t.getSpec().getTopologySpreadConstraints();
      TopologySpreadConstraint nodes = spread.stream()
          .filter(s -> s.getTopologyKey().equals("kubernetes.io/hostname")).findFirst().orElse(null);
      assertThat(nodes).as(app(d)).isNotNull();
      assertThat(nodes.getMaxSkew()).isEqualTo(1);
      assertThat(Labels.matches(nodes.getLabelSelector(), t.getMetadata().getLabels())).as(app(d)).isTrue();
      assertThat(nodes.getMatchLabelKeys()).as("%s spreads each rollout's pods", app(d))
          .contains("pod-template-hash");
      // Never below capacity in a rollout.
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }
  }

  /** The container's environment as the kubelet builds it: envFrom ConfigMaps first, then env (literal values). */
  static Map<String, String> effectiveEnv(Manifests m, Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
      assertThat(from.getSecretRef()).as("%s: no Secret as a whole in the environment", c.getName()).isNull();
      String name = from.getConfigMapRef().getName();
      ConfigMap cm = m.all(ConfigMap.class).stream().filter(x -> x.getMetadata().getName().equals(name))
          .findFirst().orElseThrow(() -> new AssertionError(c.getName() + ": no ConfigMap " + name));
      env.putAll(cm.getData());
    }
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      env.put(e.getName(), e.getValue() == null ? "<from " + e.getValueFrom() + ">" : e.getValue());
    }
    return env;
  }

  static int port(Container c, String name) {
    return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError(c.getName() + " has no port " + name));
  }

  static ContainerPort resolve(Container c, IntOrString port) {
    if (port == null) {
      return null;
    }
    return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
        : port.getIntVal().equals(p.getContainerPort())).findFirst().orElse(null);
  }

  static Set<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).collect(Collectors.toSet());
  }
}
