package dev.stampede.k8s;

import static dev.stampede.k8s.Rbac.Permission.of;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.ExperimentParser;
import dev.stampede.chaos.experiment.KubernetesTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** k8s/chaos: least-privilege RBAC, the Job and CronJob that run patch-tuesday, and the experiment they run. */
class ChaosManifestsTest {
  /** The most issue 9 allows the chaos Role to grant. */
  static final Set<Rbac.Permission> ALLOWED = Set.of(
      of("get", "", "pods"), of("list", "", "pods"), of("watch", "", "pods"), of("delete", "", "pods"),
      of("create", "", "pods/eviction"),
      of("get", "apps", "deployments"), of("list", "apps", "deployments"), of("watch", "apps", "deployments"),
      of("patch", "apps", "deployments"),
      of("get", "apps", "statefulsets"), of("list", "apps", "statefulsets"), of("watch", "apps", "statefulsets"),
      of("patch", "apps", "statefulsets"),
      of("get", "apps", "replicasets"), of("list", "apps", "replicasets"), of("watch", "apps", "replicasets"),
      of("create", "", "events"), of("patch", "", "events"),
      of("get", "", "configmaps"), of("create", "", "configmaps"), of("update", "", "configmaps"),
      of("patch", "", "configmaps"));
  /**
   * What the Kubernetes restart engine uses (chaos/README.md, "Kubernetes permissions"; the mock-cluster test
   * records the requests it really makes). The Job writes its results to a volume, so it needs no ConfigMap rights.
   */
  static final Set<Rbac.Permission> ENGINE_NEEDS = Set.of(
      of("get", "", "pods"), of("list", "", "pods"), of("delete", "", "pods"),
      of("create", "", "pods/eviction"),
      of("get", "apps", "replicasets"),
      of("get", "apps", "deployments"), of("patch", "apps", "deployments"),
      of("get", "apps", "statefulsets"), of("patch", "apps", "statefulsets"),
      of("create", "", "events"));

  static Role role() {
    return Manifests.rendered("chaos").get(Role.class, "stampede-chaos");
  }

  static Job job() {
    List<Job> jobs = Manifests.file("chaos/job-patch-tuesday.yaml").all(Job.class);
    assertThat(jobs).hasSize(1);
    return jobs.get(0);
  }

  @Test
  void chaosRole_grantsExactlyWhatTheEngineUses_andNothingBeyondTheIssuesList() {
    Set<Rbac.Permission> granted = Rbac.granted(role().getRules());
    assertThat(granted).as("nothing beyond issue 9's list").isSubsetOf(ALLOWED);
    assertThat(granted).as("exactly what the engine uses").containsExactlyInAnyOrderElementsOf(ENGINE_NEEDS);
    assertThat(role().getRules()).allSatisfy(r -> {
      assertThat(r.getResources()).doesNotContain("*", "secrets");
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
      assertThat(r.getNonResourceURLs()).isNullOrEmpty();
    });
  }

  @Test
  void noClusterWideRole_andTheBindingNamesOnlyTheChaosAccount() {
    for (String dir : List.of("base", "overlays/dev", "overlays/prod", "chaos")) {
      Manifests m = Manifests.rendered(dir);
      assertThat(m.all(ClusterRole.class)).as(dir).isEmpty();
      assertThat(m.all(ClusterRoleBinding.class)).as(dir).isEmpty();
      assertThat(m.all(Role.class)).as(dir).allSatisfy(r -> assertThat(r.getMetadata().getName())
          .isEqualTo("stampede-chaos"));
    }
    RoleBinding binding = Manifests.rendered("chaos").get(RoleBinding.class, "stampede-chaos");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo("stampede-chaos");
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("stampede-chaos");
      assertThat(s.getNamespace()).isEqualTo(binding.getMetadata().getNamespace());
    });
    // The account mounts no token unless a chaos pod asks for one.
    assertThat(Manifests.rendered("chaos").get(ServiceAccount.class, "stampede-chaos")
        .getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void job_andCronJob_runTheSamePod() {
    CronJob cron = Manifests.rendered("chaos").get(CronJob.class, "stampede-game-day");
    JobSpec fromCron = cron.getSpec().getJobTemplate().getSpec();
    JobSpec single = job().getSpec();
    assertThat((JsonNode) Documents.JSON.valueToTree(fromCron))
        .as("job-patch-tuesday.yaml and cronjob.yaml must stay the same run")
        .isEqualTo(Documents.JSON.valueToTree(single));
    assertThat(job().getMetadata().getNamespace()).isEqualTo(cron.getMetadata().getNamespace());
  }

  @Test
  void gameDays_areScheduledButSwitchedOff_neverOverlap_andAreNeverRetried() {
    CronJob cron = Manifests.rendered("chaos").get(CronJob.class, "stampede-game-day");
    assertThat(cron.getSpec().getSuspend()).as("applying k8s/chaos never starts a storm by itself").isTrue();
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cron.getSpec().getTimeZone()).isNotBlank();
    assertThat(cron.getSpec().getStartingDeadlineSeconds()).isNotNull();
    JobSpec spec = job().getSpec();
    assertThat(spec.getBackoffLimit()).as("a failed SLO is an answer, not a flake").isZero();
    assertThat(spec.getActiveDeadlineSeconds()).isNotNull();
    assertThat(spec.getTtlSecondsAfterFinished()).isNotNull();
    assertThat(spec.getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job().getMetadata().getGenerateName()).as("each create is a new run").isNotBlank();
  }

  @Test
  void job_runsTheExperimentWithTheKubernetesEngine_andWritesTheReportToTheResultsVolume() {
    PodSpec pod = job().getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("stampede-chaos");
    assertThat(pod.getAutomountServiceAccountToken()).as("the engine needs the token").isTrue();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("localhost/stampede/chaos:" + Repo.version());
    List<String> args = c.getArgs();
    assertThat(args).startsWith("experiment");
    assertThat(args.get(args.indexOf("--engine") + 1)).isEqualTo("kubernetes");
    String file = args.get(1);
    String out = args.get(args.indexOf("--out") + 1);

    // The experiment file is in the mounted ConfigMap.
    Manifests chaos = Manifests.rendered("chaos");
    VolumeMount experiments = mountFor(c, file);
    Volume v = volume(pod, experiments.getName());
    ConfigMap cm = chaos.get(ConfigMap.class, v.getConfigMap().getName());
    String key = Path.of(experiments.getMountPath()).relativize(Path.of(file)).toString();
    assertThat(cm.getData()).containsKey(key);

    // One directory per run, on the results claim.
    assertThat(out).isEqualTo("/results/$(POD_NAME)");
    EnvVar podName = env(c, "POD_NAME");
    assertThat(podName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    Volume results = volume(pod, mountFor(c, "/results/x").getName());
    assertThat(mountFor(c, "/results/x").getReadOnly()).isNotEqualTo(Boolean.TRUE);
    String claim = results.getPersistentVolumeClaim().getClaimName();
    assertThat(chaos.find(PersistentVolumeClaim.class, claim)).isPresent();
    assertThat(pod.getSecurityContext().getFsGroup()).as("the volume is writable for the non-root user")
        .isEqualTo(pod.getSecurityContext().getRunAsGroup());
  }

  @Test
  void job_getsTheSeedCredentialFromTheKubelet_notFromTheApi() {
    Container c = job().getSpec().getTemplate().getSpec().getContainers().get(0);
    Experiment e = experiment();
    EnvVar credential = env(c, e.kubernetes().orElseThrow().adminCredentialEnv());
    var ref = credential.getValueFrom().getSecretKeyRef();
    assertThat(ref.getName()).isEqualTo("stampede-admin");
    assertThat(ref.getKey()).isEqualTo("credential");
    assertThat(ref.getOptional()).as("no credential, no run: fail at once").isNotEqualTo(Boolean.TRUE);
    // The same Secret auth reads.
    Container auth = WorkloadInvariantsTest.container(Manifests.rendered("overlays/dev")
        .get(io.fabric8.kubernetes.api.model.apps.Deployment.class, "auth").getSpec().getTemplate());
    assertThat(env(auth, "STAMPEDE_AUTH_ADMIN_CREDENTIAL").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("stampede-admin");
    assertThat(Rbac.granted(role().getRules())).noneMatch(p -> p.resource().equals("secrets"));
  }

  static Experiment experiment() {
    ConfigMap cm = Manifests.rendered("chaos").get(ConfigMap.class, "stampede-experiments");
    return new ExperimentParser().parse("patch-tuesday.yaml",
        new StringReader(cm.getData().get("patch-tuesday.yaml")));
  }

  @Test
  void experiment_targetsTheHeadlessServices_ofTheDeployedNamespace() {
    KubernetesTarget k = experiment().kubernetes().orElseThrow();
    Manifests base = Manifests.rendered("base");
    assertThat(k.namespace()).contains("stampede");
    for (String target : List.of(k.auth(), k.directory())) {
      Matcher m = Pattern.compile("dns:///([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.cluster\\.local:(\\d+)")
          .matcher(target);
      assertThat(m.matches()).as(target).isTrue();
      assertThat(m.group(2)).isEqualTo("stampede");
      Service s = base.get(Service.class, m.group(1));
      assertThat(s.getSpec().getClusterIP()).as("%s is headless: the storm balances per call", target)
          .isEqualTo("None");
      assertThat(s.getSpec().getPorts()).filteredOn(p -> p.getName().equals("grpc"))
          .extracting(ServicePort::getPort).containsExactly(Integer.parseInt(m.group(3)));
    }
    assertThat(k.metrics()).isNotEmpty().allSatisfy(url -> {
      URI u = URI.create(url);
      assertThat(u.getPath()).isEqualTo("/q/metrics");
      Service s = base.get(Service.class, u.getHost().split("\\.")[0]);
      assertThat(s.getSpec().getPorts()).filteredOn(p -> p.getName().equals("http"))
          .extracting(ServicePort::getPort).containsExactly(u.getPort());
    });
  }

  @Test
  void experiment_isPatchTuesday_exactly_plusWhereToFindTheCluster() throws Exception {
    JsonNode inCluster = Documents.YAML.readTree(
        Manifests.rendered("chaos").get(ConfigMap.class, "stampede-experiments").getData()
            .get("patch-tuesday.yaml"));
    JsonNode canonical = Documents.YAML.readTree(Files.readString(Repo.root().resolve(
        "experiments/patch-tuesday.yaml")));
    ObjectNode withoutCluster = ((ObjectNode) inCluster).deepCopy();
    withoutCluster.remove("kubernetes");
    assertThat(withoutCluster).isEqualTo(canonical);
    // It is also what the chaos module's parser accepts, with the same faults and SLOs.
    Experiment e = experiment();
    Experiment c = new ExperimentParser().parse(Repo.root().resolve("experiments/patch-tuesday.yaml"));
    assertThat(e.faults()).isEqualTo(c.faults());
    assertThat(e.slos()).isEqualTo(c.slos());
  }

  @Test
  void everyChaosObject_isLabelledAsSuch_andNotAsPartOfTheSystemUnderTest() {
    for (HasMetadata i : Manifests.rendered("chaos").items) {
      assertThat(i.getMetadata().getLabels()).as(i.getKind() + "/" + i.getMetadata().getName())
          .containsEntry(Labels.NAME, "stampede-chaos")
          // A plan selecting app.kubernetes.io/part-of=stampede must never pick the Job that runs it.
          .doesNotContainKey(Labels.PART_OF);
    }
    assertThat(job().getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Labels.NAME,
        "stampede-chaos").doesNotContainKey(Labels.PART_OF);
  }

  static VolumeMount mountFor(Container c, String path) {
    return c.getVolumeMounts().stream().filter(m -> path.startsWith(m.getMountPath() + "/")).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted for " + path));
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
  }
}
