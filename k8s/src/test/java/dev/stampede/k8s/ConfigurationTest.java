package dev.stampede.k8s;

import static dev.stampede.k8s.WorkloadInvariantsTest.app;
import static dev.stampede.k8s.WorkloadInvariantsTest.container;
import static dev.stampede.k8s.WorkloadInvariantsTest.effectiveEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigDecimal;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration, secrets, images and the overlays' own promises. */
class ConfigurationTest {
  /** Secret → key a service may read (DESIGN §5: auth holds every ring, the others only their own). */
  static final Map<String, Set<String>> SECRETS_BY_SERVICE = Map.of(
      "auth", Set.of("stampede-keys-auth/keys", "stampede-keys-directory/keys", "stampede-keys-relay/keys",
          "stampede-admin/credential"),
      "directory", Set.of("stampede-keys-directory/keys"),
      "relay", Set.of("stampede-keys-relay/keys"),
      "redis", Set.of());
  /** The variable each Secret key lands in. */
  static final Map<String, String> SECRET_ENV = Map.of(
      "stampede-keys-auth/keys", "STAMPEDE_TOKEN_KEYS_AUTH",
      "stampede-keys-directory/keys", "STAMPEDE_TOKEN_KEYS_DIRECTORY",
      "stampede-keys-relay/keys", "STAMPEDE_TOKEN_KEYS_RELAY",
      "stampede-admin/credential", "STAMPEDE_AUTH_ADMIN_CREDENTIAL");

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void eachService_readsExactlyTheSecretsItsRoleNeeds(String dir) {
    Manifests m = Manifests.rendered(dir);
    m.podTemplates().forEach((workload, t) -> {
      String app = t.getMetadata().getLabels().get(Labels.NAME);
      Set<String> read = new TreeSet<>();
      for (Container c : t.getSpec().getContainers()) {
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            var ref = e.getValueFrom().getSecretKeyRef();
            String secret = ref.getName() + "/" + ref.getKey();
            read.add(secret);
            assertThat(e.getName()).as("%s: %s", workload, secret).isEqualTo(SECRET_ENV.get(secret));
            // Keys are required (no pod starts without them); only the admin credential may be absent.
            assertThat(Boolean.TRUE.equals(ref.getOptional())).as("%s: %s optional", workload, secret)
                .isEqualTo(secret.startsWith("stampede-admin/"));
          }
        }
      }
      for (Volume v : t.getSpec().getVolumes() == null ? List.<Volume>of() : t.getSpec().getVolumes()) {
        assertThat(v.getSecret()).as("%s mounts no Secret", workload).isNull();
        assertThat(v.getProjected()).as("%s projects nothing", workload).isNull();
      }
      assertThat(read).as(workload).containsExactlyInAnyOrderElementsOf(SECRETS_BY_SERVICE.get(app));
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyConfigMapReference_resolves(String dir) {
    Manifests m = Manifests.rendered(dir);
    Set<String> configMaps = WorkloadInvariantsTest.names(m.all(ConfigMap.class));
    m.podTemplates().forEach((workload, t) -> {
      for (Container c : t.getSpec().getContainers()) {
        c.getEnvFrom().forEach(f -> {
          assertThat(configMaps).as(workload).contains(f.getConfigMapRef().getName());
          assertThat(f.getConfigMapRef().getOptional()).as(workload).isNotEqualTo(Boolean.TRUE);
        });
      }
      for (Volume v : t.getSpec().getVolumes()) {
        if (v.getConfigMap() != null) {
          assertThat(configMaps).as(workload).contains(v.getConfigMap().getName());
        }
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void everyVariableTheManifestsSet_isOneTheServiceDocuments(String dir) {
    Manifests m = Manifests.rendered(dir);
    boolean checkedAll = true;
    for (Deployment d : m.deployments()) {
      var module = ServiceModule.of(app(d));
      if (module.isEmpty()) {
        checkedAll = false;
        continue;
      }
      for (String name : effectiveEnv(m, container(d.getSpec().getTemplate())).keySet()) {
        if (name.startsWith("STAMPEDE_") || name.startsWith("QUARKUS_")) {
          assertThat(module.get().documents(name)).as("%s documents %s (a misspelt name is silently ignored)",
              module.get().dir.getFileName(), name).isTrue();
        } else {
          assertThat(name).as(app(d)).isIn("JDK_JAVA_OPTIONS");
        }
      }
    }
    assumeTrue(checkedAll, "not every service module is in this checkout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void servicesConnect_toTheRedisService(String dir) {
    Manifests m = Manifests.rendered(dir);
    Service redis = m.get(Service.class, "redis");
    assertThat(redis.getSpec().getClusterIP()).as("a stable virtual IP, not a pod address").isNotEqualTo("None");
    for (Deployment d : m.deployments()) {
      URI uri = URI.create(effectiveEnv(m, container(d.getSpec().getTemplate())).get("STAMPEDE_REDIS_URI"));
      assertThat(uri.getScheme()).isEqualTo("redis");
      assertThat(uri.getHost()).as(app(d)).isIn("redis", "redis." + namespace(m) + ".svc",
          "redis." + namespace(m) + ".svc.cluster.local");
      assertThat(redis.getSpec().getPorts()).extracting(ServicePort::getPort).contains(uri.getPort());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void redis_keepsAnAppendOnlyFile_onAPersistentVolume_andNeverEvicts(String dir) {
    Manifests m = Manifests.rendered(dir);
    StatefulSet redis = m.get(StatefulSet.class, "redis");
    Container c = container(redis.getSpec().getTemplate());
    String configMapName = redis.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
    String conf = m.all(ConfigMap.class).stream().filter(x -> x.getMetadata().getName().equals(configMapName))
        .findFirst().orElseThrow().getData().get("redis.conf");
    Map<String, String> settings = redisSettings(conf);
    assertThat(settings).containsEntry("appendonly", "yes").containsEntry("appendfsync", "everysec")
        .containsEntry("maxmemory-policy", "noeviction").containsEntry("dir", "/data");
    assertThat(c.getCommand()).containsExactly("redis-server", "/etc/redis/redis.conf");
    // Room for the copy-on-write of an AOF rewrite's fork: maxmemory at most 60 % of the limit.
    BigDecimal limit = WorkloadInvariantsTest.amount(c.getResources().getLimits().get("memory"));
    BigDecimal max = redisBytes(settings.get("maxmemory"));
    assertThat(max).as("maxmemory").isPositive()
        .isLessThanOrEqualTo(limit.multiply(new BigDecimal("0.6")));
    // The AOF lives on the claim, which outlives the pod and the StatefulSet.
    assertThat(redis.getSpec().getVolumeClaimTemplates()).extracting(pvc -> pvc.getMetadata().getName())
        .containsExactly("data");
    assertThat(c.getVolumeMounts()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("data");
      assertThat(v.getMountPath()).isEqualTo("/data");
    });
    assertThat(redis.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(redis.getSpec().getServiceName()).isEqualTo("redis-headless");
    assertThat(m.get(Service.class, "redis-headless").getSpec().getClusterIP()).isEqualTo("None");
  }

  static Map<String, String> redisSettings(String conf) {
    Map<String, String> out = new HashMap<>();
    for (String line : conf.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] kv = l.split("\\s+", 2);
      out.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return out;
  }

  static BigDecimal redisBytes(String v) {
    Matcher m = Pattern.compile("(\\d+)(gb|mb|kb|b)?").matcher(v.toLowerCase(java.util.Locale.ROOT));
    assertThat(m.matches()).as(v).isTrue();
    long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
      case "gb" -> 1L << 30;
      case "mb" -> 1L << 20;
      case "kb" -> 1L << 10;
      default -> 1;
    };
    return BigDecimal.valueOf(Long.parseLong(m.group(1)) * unit);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void relay_advertisesItsPodAddress(String dir) {
    Container relay = container(Manifests.rendered(dir).get(Deployment.class, "relay").getSpec().getTemplate());
    EnvVar host = relay.getEnv().stream().filter(e -> e.getName().equals("STAMPEDE_RELAY_ADVERTISED_HOST"))
        .findFirst().orElseThrow();
    assertThat(host.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "chaos"})
  void everything_livesInTheStampedeNamespace_underTheRestrictedPodSecurityProfile(String dir) {
    Manifests m = Manifests.rendered(dir);
    for (HasMetadata i : m.items) {
      if (!(i instanceof Namespace)) {
        assertThat(i.getMetadata().getNamespace()).as(Documents.id(Documents.JSON.valueToTree(i)))
            .isEqualTo("stampede");
      }
    }
    if (!dir.equals("chaos")) {
      Namespace ns = m.get(Namespace.class, "stampede");
      assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void inClusterAddresses_nameAServiceAndPortOfThisNamespace(String dir) {
    Manifests m = Manifests.rendered(dir);
    Pattern address = Pattern.compile("([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.cluster\\.local:(\\d+)");
    for (ConfigMap cm : m.all(ConfigMap.class)) {
      for (String value : cm.getData().values()) {
        Matcher a = address.matcher(value);
        while (a.find()) {
          assertThat(a.group(2)).as(value).isEqualTo(namespace(m));
          Service s = m.get(Service.class, a.group(1));
          assertThat(s.getSpec().getPorts()).extracting(ServicePort::getPort)
              .contains(Integer.parseInt(a.group(3)));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev"})
  void localImages_areTheProjectVersion_andNeverResolveToAPublicRegistry(String dir) {
    for (Deployment d : Manifests.rendered(dir).deployments()) {
      // "localhost/..." is what the Jib profiles build; it can never be pulled from Docker Hub by accident.
      assertThat(container(d.getSpec().getTemplate()).getImage())
          .isEqualTo("localhost/stampede/" + app(d) + ":" + Repo.version());
    }
  }

  @Test
  void dev_runsOneReplicaOfEach_fromLocallyLoadedImages_withSeedAccountsOn() {
    Manifests m = Manifests.rendered("overlays/dev");
    for (Deployment d : m.deployments()) {
      assertThat(d.getSpec().getReplicas()).as(app(d)).isEqualTo(1);
    }
    m.podTemplates().forEach((w, t) -> t.getSpec().getContainers()
        .forEach(c -> assertThat(c.getImagePullPolicy()).as(w).isEqualTo("IfNotPresent")));
    Container auth = container(m.get(Deployment.class, "auth").getSpec().getTemplate());
    assertThat(effectiveEnv(m, auth)).containsEntry("STAMPEDE_AUTH_ADMIN_SEED_ENABLED", "true");
    // Small enough for a laptop: the whole system requests at most 1 CPU and 2 GiB.
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (PodTemplateSpec t : m.podTemplates().values()) {
      for (Container c : t.getSpec().getContainers()) {
        cpu = cpu.add(WorkloadInvariantsTest.amount(c.getResources().getRequests().get("cpu")));
        memory = memory.add(WorkloadInvariantsTest.amount(c.getResources().getRequests().get("memory")));
      }
    }
    assertThat(cpu).isLessThanOrEqualTo(BigDecimal.ONE);
    assertThat(memory).isLessThanOrEqualTo(BigDecimal.valueOf(2L << 30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/prod"})
  void seedAccounts_isOffOutsideDev(String dir) {
    Manifests m = Manifests.rendered(dir);
    Container auth = container(m.get(Deployment.class, "auth").getSpec().getTemplate());
    assertThat(effectiveEnv(m, auth)).containsEntry("STAMPEDE_AUTH_ADMIN_SEED_ENABLED", "false");
  }

  @Test
  void prod_runsThreeOrMoreReplicas_keptApartOnNodes_fromARegistryYouChoose() {
    Manifests m = Manifests.rendered("overlays/prod");
    for (Deployment d : m.deployments()) {
      PodTemplateSpec t = d.getSpec().getTemplate();
      assertThat(d.getSpec().getReplicas()).as(app(d)).isGreaterThanOrEqualTo(3);
      assertThat(t.getSpec().getTopologySpreadConstraints())
          .filteredOn(s -> s.getTopologyKey().equals("kubernetes.io/hostname"))
          .singleElement().satisfies(s -> assertThat(s.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
      List<WeightedPodAffinityTerm> anti = t.getSpec().getAffinity().getPodAntiAffinity()
          .getPreferredDuringSchedulingIgnoredDuringExecution();
      assertThat(anti).as(app(d)).isNotEmpty().allSatisfy(term -> {
        assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(Labels.matches(term.getPodAffinityTerm().getLabelSelector(), t.getMetadata().getLabels()))
            .as("%s keeps away from its own replicas", app(d)).isTrue();
      });
      String image = container(t).getImage();
      assertThat(image).as(app(d)).doesNotStartWith("localhost/").contains("/stampede/" + app(d));
    }
  }

  static String namespace(Manifests m) {
    return m.all(Namespace.class).stream().findFirst().map(n -> n.getMetadata().getName()).orElse("stampede");
  }
}
