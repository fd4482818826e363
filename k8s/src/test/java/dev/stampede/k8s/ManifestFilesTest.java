package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every manifest loads through the fabric8 model with no unknown field, and no key material is committed. */
class ManifestFilesTest {

  /** Every Kubernetes manifest file under k8s/ (kustomizations and experiment files are not manifests). */
  static Stream<String> manifestFiles() throws IOException {
    Path k8s = Repo.k8s();
    try (Stream<Path> files = Files.walk(k8s)) {
      return files.filter(p -> p.toString().endsWith(".yaml"))
          .map(p -> k8s.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith("target/") && !p.startsWith("src/") && !p.contains("/experiments/"))
          .filter(p -> !p.endsWith("kustomization.yaml"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("manifestFiles")
  void manifestFile_loadsStrictly(String file) {
    Manifests m = Manifests.file(file);
    assertThat(m.items).as(file).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "chaos"})
  void renderedKustomization_loadsStrictly(String dir) {
    Manifests m = Manifests.rendered(dir);
    assertThat(m.items).as(dir).isNotEmpty();
    // Every object keeps every field through the model: nothing was dropped on the way in.
    for (int i = 0; i < m.items.size(); i++) {
      assertThat(sorted(withoutModelDefaults(Documents.JSON.valueToTree(m.items.get(i)))).toPrettyString())
          .as("%s: %s survives a round trip through the model", dir, Documents.id(m.documents.get(i)))
          .isEqualTo(sorted(m.documents.get(i)).toPrettyString());
    }
  }

  @Test
  void strictModel_refusesMisspeltAndMisplacedFields() {
    ObjectNode probe = Documents.parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
        """, "probe").get(0);
    assertThatThrownBy(() -> StrictModel.read(probe)).hasMessageContaining("readinesProbe");

    ObjectNode misplaced = Documents.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec: {selector: {a: b}, ports: [{port: 1}], containers: []}
        """, "misplaced").get(0);
    assertThatThrownBy(() -> StrictModel.read(misplaced)).hasMessageContaining("containers");

    ObjectNode oldApi = Documents.parse("""
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {name: x}
        """, "old").get(0);
    assertThatThrownBy(() -> StrictModel.read(oldApi)).hasMessageContaining("policy/v1beta1/PodDisruptionBudget");
  }

  @Test
  void noSecretIsCommitted_anywhereInTheManifests() throws IOException {
    for (String file : manifestFiles().toList()) {
      assertThat(Manifests.file(file).all(Secret.class)).as(file).isEmpty();
    }
    for (String dir : List.of("base", "overlays/dev", "overlays/prod", "chaos")) {
      assertThat(Manifests.rendered(dir).all(Secret.class)).as(dir).isEmpty();
      assertThat(Files.readString(Repo.k8s().resolve(dir).resolve("kustomization.yaml")))
          .as("%s generates no Secret from committed files", dir).doesNotContain("secretGenerator");
    }
  }

  /** A token key as configuration spells it: {@code <kid>:<base64url of 32 bytes>} (43 characters). */
  static final Pattern KEY = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");
  /** Runs of base64 (standard or url-safe) or hex characters long enough to be a key or credential. */
  static final Pattern RUN = Pattern.compile("(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_=-])");

  /**
   * A committed secret: a long run that is hex (not an image digest) or random-looking base64. Random base64 of
   * 32 bytes has ≥ 4.3 bits of entropy per character (minimum over 10⁴ samples); paths and names stay below 4.2
   * and have several '/'.
   */
  static String opaque(String text) {
    Matcher m = RUN.matcher(text);
    while (m.find()) {
      String run = m.group();
      boolean digest = text.substring(Math.max(0, m.start() - 7), m.start()).endsWith("sha256:");
      if (run.matches("[0-9a-fA-F]{32,}") && run.matches(".*[0-9].*") && run.matches(".*[a-fA-F].*") && !digest) {
        return run;
      }
      if (run.chars().filter(c -> c == '/').count() <= 3 && entropy(run) >= 4.2) {
        return run;
      }
    }
    return null;
  }

  static double entropy(String s) {
    java.util.Map<Integer, Long> counts = s.chars().boxed()
        .collect(java.util.stream.Collectors.groupingBy(c -> c, java.util.stream.Collectors.counting()));
    double h = 0;
    for (long n : counts.values()) {
      double p = (double) n / s.length();
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }

  @Test
  void noKeyMaterial_inAnyFileOfTheModule() throws IOException {
    Path k8s = Repo.k8s();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(k8s)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !k8s.relativize(p).toString().startsWith("target"))
          .filter(p -> !k8s.relativize(p).toString().startsWith("src"))
          .toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      String text = read(f);
      assertThat(find(KEY, text)).as("%s contains something shaped like a token key", f).isNull();
      assertThat(opaque(text)).as("%s contains a long opaque string", f).isNull();
    }
    // The detectors do detect.
    assertThat(find(KEY, "STAMPEDE_TOKEN_KEYS_RELAY=k1:" + "Ab3_-".repeat(8) + "xyz")).isNotNull();
    byte[] random = new byte[32];
    new java.util.Random(42).nextBytes(random);
    assertThat(opaque("credential: " + java.util.Base64.getEncoder().encodeToString(random))).isNotNull();
    assertThat(opaque("credential=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random)))
        .isNotNull();
    assertThat(opaque("key=" + java.util.HexFormat.of().formatHex(random))).isNotNull();
    assertThat(opaque("path: /spec/template/spec/topologySpreadConstraints/0/whenUnsatisfiable")).isNull();
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group() : null;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** fabric8 writes apiVersion and kind into a StatefulSet's volume claim templates; the API does not need them. */
  static JsonNode withoutModelDefaults(JsonNode node) {
    for (JsonNode claim : node.path("spec").path("volumeClaimTemplates")) {
      ((ObjectNode) claim).remove(List.of("apiVersion", "kind"));
    }
    return node;
  }

  /** The tree with object keys in order, so that two equal trees print the same. */
  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Documents.JSON.createObjectNode();
      new java.util.TreeMap<String, JsonNode>(Documents.JSON.convertValue(node,
          new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, JsonNode>>() { }))
          .forEach((k, v) -> out.set(k, sorted(v)));
      return out;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = Documents.JSON.createArrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }

  static List<HasMetadata> items(String dir) {
    return Manifests.rendered(dir).items;
  }
}
