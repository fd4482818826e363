package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.k8s.NetworkPolicies.Endpoint;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may talk to whom, with the policies of a rendering plus k8s/chaos, evaluated like a CNI would: only the
 * services reach Redis, only the chaos pods reach the API server, clients reach the gRPC ports.
 */
class NetworkPolicyTest {
  static final String NS = "stampede";
  static final Endpoint INTERNET_CLIENT = Endpoint.external("a client outside the cluster", "203.0.113.7");
  static final Endpoint KIND_API_SERVER = Endpoint.external("the API server (kind)", "172.18.0.2");
  static final Endpoint MANAGED_API_SERVER = Endpoint.external("the API server (managed)", "10.0.0.1");
  static final Endpoint SOMEWHERE = Endpoint.external("a host on the internet", "198.51.100.20");
  static final Endpoint OTHER_NAMESPACE = Endpoint.pod("a pod in namespace shop", "shop", Map.of("app", "web"),
      List.of(), "10.244.3.3");
  static final Endpoint PROMETHEUS = Endpoint.pod("Prometheus", "monitoring",
      Map.of(Labels.NAME, "prometheus"), List.of(), "10.244.4.4");
  static final Endpoint KUBE_DNS = Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"),
      List.of(new ContainerPort(53, null, null, "dns", "UDP")), "10.244.0.2");

  /** Every pod the manifests can create, by workload, plus the chaos Job file's and the results reader. */
  static Map<String, Endpoint> pods(String dir) {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>(Manifests.rendered(dir).podTemplates());
    templates.putAll(Manifests.rendered("chaos").podTemplates());
    Job job = Manifests.file("chaos/job-patch-tuesday.yaml").all(Job.class).get(0);
    templates.put("Job/patch-tuesday", job.getSpec().getTemplate());
    Map<String, Endpoint> out = new LinkedHashMap<>();
    int ip = 10;
    for (Map.Entry<String, PodTemplateSpec> e : templates.entrySet()) {
      List<ContainerPort> ports = new ArrayList<>();
      for (Container c : e.getValue().getSpec().getContainers()) {
        if (c.getPorts() != null) {
          ports.addAll(c.getPorts());
        }
      }
      out.put(e.getKey(), Endpoint.pod(e.getKey(), NS, e.getValue().getMetadata().getLabels(), ports,
          "10.244.1." + ip++));
    }
    Pod reader = Manifests.file("chaos/results-reader.yaml").all(Pod.class).get(0);
    out.put("Pod/results-reader", Endpoint.pod("results reader", NS, reader.getMetadata().getLabels(), List.of(),
        "10.244.1." + ip));
    return out;
  }

  static NetworkPolicies policies(String dir) {
    List<NetworkPolicy> all = new ArrayList<>(Manifests.rendered(dir).networkPolicies());
    all.addAll(Manifests.rendered("chaos").networkPolicies());
    return new NetworkPolicies(all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void onlyTheServices_reachRedis(String dir) {
    NetworkPolicies np = policies(dir);
    Map<String, Endpoint> pods = pods(dir);
    Endpoint redis = pods.get("StatefulSet/redis");
    for (Endpoint from : pods.values()) {
      boolean service = List.of("auth", "directory", "relay").contains(from.labels().get(Labels.NAME))
          && "stampede".equals(from.labels().get(Labels.PART_OF));
      assertThat(np.allows(from, redis, 6379, "TCP")).as("%s -> redis", from).isEqualTo(service);
    }
    for (Endpoint outsider : List.of(INTERNET_CLIENT, OTHER_NAMESPACE, PROMETHEUS)) {
      assertThat(np.allows(outsider, redis, 6379, "TCP")).as("%s -> redis", outsider).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void onlyTheChaosPods_reachTheApiServer(String dir) {
    NetworkPolicies np = policies(dir);
    for (Endpoint from : pods(dir).values()) {
      boolean chaos = "stampede-chaos".equals(from.labels().get(Labels.NAME));
      for (Endpoint api : List.of(KIND_API_SERVER, MANAGED_API_SERVER)) {
        for (int port : new int[] {443, 6443}) {
          assertThat(np.allows(from, api, port, "TCP")).as("%s -> %s:%d", from, api, port).isEqualTo(chaos);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void clients_reachTheGrpcPorts_fromAnywhere_butNotHealthOrMetrics(String dir) {
    NetworkPolicies np = policies(dir);
    Map<String, Endpoint> pods = pods(dir);
    for (String service : List.of("auth", "directory", "relay")) {
      Endpoint target = pods.get("Deployment/" + service);
      for (Endpoint client : List.of(INTERNET_CLIENT, OTHER_NAMESPACE, pods.get("CronJob/stampede-game-day"))) {
        assertThat(np.allows(client, target, 9000, "TCP")).as("%s -> %s:9000", client, service).isTrue();
      }
      assertThat(np.allows(INTERNET_CLIENT, target, 8080, "TCP")).as("internet -> %s:8080", service).isFalse();
      assertThat(np.allows(OTHER_NAMESPACE, target, 8080, "TCP")).as("shop -> %s:8080", service).isFalse();
      assertThat(np.allows(PROMETHEUS, target, 8080, "TCP")).as("prometheus -> %s:8080", service).isTrue();
      assertThat(np.allows(pods.get("Job/patch-tuesday"), target, 8080, "TCP")).as("chaos -> metrics").isTrue();
      assertThat(np.allows(INTERNET_CLIENT, target, 22, "TCP")).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void servicesAndRedis_openNoOtherConnections_thanDnsAndRedis(String dir) {
    NetworkPolicies np = policies(dir);
    Map<String, Endpoint> pods = pods(dir);
    for (String workload : List.of("Deployment/auth", "Deployment/directory", "Deployment/relay",
        "StatefulSet/redis")) {
      Endpoint from = pods.get(workload);
      assertThat(np.allows(from, KUBE_DNS, 53, "UDP")).as("%s -> DNS", workload).isTrue();
      assertThat(np.allows(from, SOMEWHERE, 443, "TCP")).as("%s -> internet", workload).isFalse();
      assertThat(np.allows(from, OTHER_NAMESPACE, 80, "TCP")).as("%s -> other namespace", workload).isFalse();
      for (String other : List.of("auth", "directory", "relay")) {
        assertThat(np.allows(from, pods.get("Deployment/" + other), 9000, "TCP"))
            .as("%s -> %s (no lateral movement between services)", workload, other).isFalse();
      }
    }
    Endpoint reader = pods.get("Pod/results-reader");
    assertThat(np.allows(reader, SOMEWHERE, 443, "TCP")).isFalse();
    assertThat(np.allows(INTERNET_CLIENT, reader, 80, "TCP")).isFalse();
    assertThat(np.allows(INTERNET_CLIENT, pods.get("Job/patch-tuesday"), 8080, "TCP")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void theChaosJob_reachesEverythingItsExperimentUses(String dir) {
    NetworkPolicies np = policies(dir);
    Map<String, Endpoint> pods = pods(dir);
    Endpoint job = pods.get("Job/patch-tuesday");
    assertThat(np.allows(job, KUBE_DNS, 53, "UDP")).isTrue();
    assertThat(np.allows(job, pods.get("Deployment/auth"), 9000, "TCP")).isTrue();
    assertThat(np.allows(job, pods.get("Deployment/directory"), 9000, "TCP")).isTrue();
    assertThat(np.allows(job, pods.get("Deployment/auth"), 8080, "TCP")).isTrue();
    assertThat(np.allows(job, pods.get("StatefulSet/redis"), 6379, "TCP")).isFalse();
  }
}
