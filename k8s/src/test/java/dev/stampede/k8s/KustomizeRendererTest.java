package dev.stampede.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fallback renderer against the real one: where kubectl exists, both must render the same resources. */
class KustomizeRendererTest {

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "chaos"})
  void renderer_producesWhatKubectlKustomizeProduces(String kustomization) {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    Path dir = Repo.k8s().resolve(kustomization);

    Map<String, JsonNode> ours = byId(Kustomize.render(dir));
    Map<String, JsonNode> theirs = byId(Kubectl.kustomize(dir).orElseThrow());

    assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(theirs.keySet());
    theirs.forEach((id, resource) -> assertThat(ours.get(id)).as(id).isEqualTo(resource));
  }

  @Test
  void configMapHash_isKustomizes() {
    // kubectl kustomize (kustomize v5.5) names this generator "x-c4m84ff26h": data a=1, b="<&> \u2028" (Go's
    // HTML-safe JSON escaping included).
    assertThat(Kustomize.configMapHash(Map.of("a", "1", "b", "<&> \u2028"))).isEqualTo("c4m84ff26h");
  }

  @Test
  void unsupportedKustomizeFeature_isRefusedNotSkipped(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("'commonLabels' is not supported");
  }

  @Test
  void strategicMergePatch_isRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    Files.writeString(dir.resolve("kustomization.yaml"), """
        resources: [cm.yaml]
        patches:
          - target: {kind: ConfigMap}
            patch: |-
              metadata: {labels: {a: b}}
        """);
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("only JSON 6902 patches");
  }

  static Map<String, JsonNode> byId(List<ObjectNode> resources) {
    return resources.stream().collect(Collectors.toMap(Documents::id, r -> r, (a, b) -> {
      throw new IllegalStateException("duplicate " + Documents.id(a));
    }, TreeMap::new));
  }
}
