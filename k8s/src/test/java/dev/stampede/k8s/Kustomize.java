package dev.stampede.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The part of kustomize that Stampede's kustomizations use, so that the manifests can be rendered and checked where
 * {@code kubectl} is not installed: {@code resources} (files and directories), {@code namespace},
 * {@code configMapGenerator} (literals, env files, files; create/merge/replace; the content-hash name suffix and the
 * rewriting of references to it), {@code generatorOptions}, {@code patches} (JSON 6902, inline or from a file,
 * targeted by kind and name pattern) and {@code images}. Anything else is refused, so a kustomization cannot quietly
 * use a feature this renderer would skip. Where {@code kubectl} is present, tests compare the two renders.
 */
final class Kustomize {
  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources",
      "configMapGenerator", "generatorOptions", "patches", "images");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "PersistentVolume", "StorageClass", "PriorityClass");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  /** A generated ConfigMap: its data and labels as generated so far, to merge overlays into. */
  private record Generated(String name, Map<String, String> data, Map<String, String> labels, boolean hashed) {
  }

  private final List<ObjectNode> resources = new ArrayList<>();
  private final Map<String, Generated> generated = new LinkedHashMap<>();

  private Kustomize() {
  }

  /** Renders the kustomization in {@code dir}, as {@code kubectl kustomize dir} would. */
  static List<ObjectNode> render(Path dir) {
    return load(dir).resources;
  }

  private static Kustomize load(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    ObjectNode k = Documents.read(file).get(0);
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(file + ": '" + field + "' is not supported by this renderer");
      }
    }
    Kustomize out = new Kustomize();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        Kustomize sub = load(p);
        out.resources.addAll(sub.resources);
        out.generated.putAll(sub.generated);
      } else {
        out.resources.addAll(Documents.read(p));
      }
    }
    JsonNode options = k.path("generatorOptions");
    checkOnly(options, file, "generatorOptions", "labels", "disableNameSuffixHash");
    for (JsonNode g : k.path("configMapGenerator")) {
      out.generate(dir, file, g, options);
    }
    for (JsonNode p : k.path("patches")) {
      out.patch(dir, file, p);
    }
    for (JsonNode image : k.path("images")) {
      out.image(file, image);
    }
    if (k.hasNonNull("namespace")) {
      out.namespace(k.get("namespace").asText());
    }
    return out;
  }

  private void generate(Path dir, Path file, JsonNode g, JsonNode globalOptions) {
    checkOnly(g, file, "configMapGenerator", "name", "behavior", "literals", "envs", "files", "options");
    JsonNode options = g.path("options");
    checkOnly(options, file, "configMapGenerator.options", "labels", "disableNameSuffixHash");
    String name = g.path("name").asText();
    String behavior = g.path("behavior").asText("create");
    Map<String, String> data = new TreeMap<>();
    for (JsonNode env : g.path("envs")) {
      readEnvFile(dir.resolve(env.asText()), data);
    }
    for (JsonNode literal : g.path("literals")) {
      String[] kv = literal.asText().split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(file + ": literal '" + literal.asText() + "' (expected: KEY=VALUE)");
      }
      data.put(kv[0], kv[1]);
    }
    for (JsonNode f : g.path("files")) {
      String spec = f.asText();
      int eq = spec.indexOf('=');
      Path source = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1));
      String key = eq < 0 ? source.getFileName().toString() : spec.substring(0, eq);
      try {
        data.put(key, Files.readString(source));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, String> labels = new TreeMap<>();
    Map<String, String> declared = labels;
    globalOptions.path("labels").fields().forEachRemaining(e -> declared.put(e.getKey(), e.getValue().asText()));
    options.path("labels").fields().forEachRemaining(e -> declared.put(e.getKey(), e.getValue().asText()));
    boolean hashed = !options.path("disableNameSuffixHash").asBoolean(
        globalOptions.path("disableNameSuffixHash").asBoolean(false));
    Generated before = generated.get(name);
    switch (behavior) {
      case "create" -> {
        if (before != null) {
          throw new IllegalArgumentException(file + ": ConfigMap " + name + " is generated twice");
        }
      }
      case "merge", "replace" -> {
        if (before == null) {
          throw new IllegalArgumentException(file + ": no ConfigMap " + name + " to " + behavior);
        }
        if (behavior.equals("merge")) {
          Map<String, String> merged = new TreeMap<>(before.data());
          merged.putAll(data);
          data = merged;
        }
        Map<String, String> mergedLabels = new TreeMap<>(before.labels());
        mergedLabels.putAll(labels);
        labels = mergedLabels;
        hashed = before.hashed();
      }
      default -> throw new IllegalArgumentException(file + ": behavior '" + behavior + "'");
    }
    Generated now = new Generated(name, data, labels, hashed);
    String newName = hashed ? name + "-" + configMapHash(data) : name;
    ObjectNode cm = JsonNodeFactory.instance.objectNode();
    cm.put("apiVersion", "v1");
    ObjectNode dataNode = cm.putObject("data");
    data.forEach(dataNode::put);
    cm.put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    if (!labels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      labels.forEach(l::put);
    }
    meta.put("name", newName);
    if (before != null) {
      String oldName = before.hashed() ? name + "-" + configMapHash(before.data()) : name;
      ObjectNode old = resources.stream().filter(r -> r.path("kind").asText().equals("ConfigMap")
          && r.path("metadata").path("name").asText().equals(oldName)).findFirst().orElseThrow();
      if (old.path("metadata").hasNonNull("namespace")) {
        meta.put("namespace", old.path("metadata").path("namespace").asText());
      }
      resources.set(resources.indexOf(old), cm);
      renameConfigMapReferences(oldName, newName);
    } else {
      resources.add(cm);
      renameConfigMapReferences(name, newName);
    }
    generated.put(name, now);
  }

  private static void readEnvFile(Path file, Map<String, String> data) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("=", 2);
      if (kv.length != 2 || !ENV_NAME.matcher(kv[0]).matches()) {
        throw new IllegalArgumentException(file + ": '" + line + "' (expected: KEY=VALUE)");
      }
      data.put(kv[0], kv[1]);
    }
  }

  /**
   * kustomize's name suffix for a generated ConfigMap: SHA-256 of the JSON encoding (Go's, keys sorted) of data,
   * kind and an empty name, its first ten hex digits with 0, 1, 3, a, e mapped to g, h, k, m, t.
   */
  static String configMapHash(Map<String, String> data) {
    StringBuilder json = new StringBuilder("{\"data\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(data).entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      goString(json, e.getKey());
      json.append(':');
      goString(json, e.getValue());
    }
    // kustomize hashes before it sets the name: the encoded name is always empty.
    json.append("},\"kind\":\"ConfigMap\",\"name\":\"\"}");
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    char[] out = HexFormat.of().formatHex(digest).substring(0, 10).toCharArray();
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (out[i]) {
        case '0' -> 'g';
        case '1' -> 'h';
        case '3' -> 'k';
        case 'a' -> 'm';
        case 'e' -> 't';
        default -> out[i];
      };
    }
    return new String(out);
  }

  /** A string as Go's encoding/json writes it (HTML-safe escaping of &lt; &gt; &amp;). */
  private static void goString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void renameConfigMapReferences(String from, String to) {
    if (from.equals(to)) {
      return;
    }
    for (ObjectNode r : resources) {
      forEachPodSpec(r, spec -> {
        for (String list : List.of("containers", "initContainers")) {
          for (JsonNode c : spec.path(list)) {
            for (JsonNode envFrom : c.path("envFrom")) {
              rename(envFrom.path("configMapRef"), from, to);
            }
            for (JsonNode env : c.path("env")) {
              rename(env.path("valueFrom").path("configMapKeyRef"), from, to);
            }
          }
        }
        for (JsonNode v : spec.path("volumes")) {
          rename(v.path("configMap"), from, to);
          for (JsonNode source : v.path("projected").path("sources")) {
            rename(source.path("configMap"), from, to);
          }
        }
      });
    }
  }

  private static void rename(JsonNode ref, String from, String to) {
    if (ref.isObject() && ref.path("name").asText().equals(from)) {
      ((ObjectNode) ref).put("name", to);
    }
  }

  /** The pod specs of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
  static void forEachPodSpec(JsonNode r, Consumer<ObjectNode> action) {
    JsonNode spec = switch (r.path("kind").asText()) {
      case "Pod" -> r.path("spec");
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> r.path("spec").path("template")
          .path("spec");
      case "CronJob" -> r.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
      default -> null;
    };
    if (spec != null && spec.isObject()) {
      action.accept((ObjectNode) spec);
    }
  }

  private void patch(Path dir, Path file, JsonNode p) {
    checkOnly(p, file, "patches", "target", "patch", "path");
    JsonNode target = p.path("target");
    checkOnly(target, file, "patches.target", "kind", "name");
    String text;
    try {
      text = p.hasNonNull("patch") ? p.get("patch").asText() : Files.readString(dir.resolve(p.path("path").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode ops;
    try {
      ops = Documents.YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": patch is not YAML: " + e.getMessage(), e);
    }
    if (!ops.isArray()) {
      throw new IllegalArgumentException(file + ": only JSON 6902 patches (a list of operations) are supported");
    }
    Pattern kind = anchored(target.path("kind").asText(".*"));
    Pattern name = anchored(target.path("name").asText(".*"));
    int matched = 0;
    for (int i = 0; i < resources.size(); i++) {
      ObjectNode r = resources.get(i);
      if (kind.matcher(r.path("kind").asText()).matches()
          && name.matcher(r.path("metadata").path("name").asText()).matches()) {
        resources.set(i, (ObjectNode) JsonPatch.apply(ops, r));
        matched++;
      }
    }
    if (matched == 0) {
      throw new IllegalArgumentException(file + ": patch target " + target + " matches nothing");
    }
  }

  private static Pattern anchored(String regex) {
    return Pattern.compile("^(?:" + regex + ")$");
  }

  private void image(Path file, JsonNode image) {
    checkOnly(image, file, "images", "name", "newName", "newTag", "digest");
    String name = image.path("name").asText();
    for (ObjectNode r : resources) {
      forEachPodSpec(r, spec -> {
        for (String list : List.of("containers", "initContainers")) {
          for (JsonNode c : spec.path(list)) {
            String ref = c.path("image").asText();
            ImageRef current = ImageRef.parse(ref);
            if (!current.name().equals(name)) {
              continue;
            }
            String newName = image.path("newName").asText(current.name());
            String tag = image.hasNonNull("newTag") ? image.get("newTag").asText() : current.tag();
            String digest = image.hasNonNull("digest") ? image.get("digest").asText() : current.digest();
            if (image.hasNonNull("digest")) {
              tag = image.hasNonNull("newTag") ? tag : null;
            }
            ((ObjectNode) c).put("image", newName + (tag == null ? "" : ":" + tag)
                + (digest == null ? "" : "@" + digest));
          }
        }
      });
    }
  }

  private void namespace(String namespace) {
    for (ObjectNode r : resources) {
      String kind = r.path("kind").asText();
      if (CLUSTER_SCOPED.contains(kind)) {
        continue;
      }
      ((ObjectNode) r.get("metadata")).put("namespace", namespace);
      if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
        for (JsonNode s : r.path("subjects")) {
          if (s.path("kind").asText().equals("ServiceAccount")
              && (!s.hasNonNull("namespace") || s.get("namespace").asText().equals("default"))) {
            ((ObjectNode) s).put("namespace", namespace);
          }
        }
      }
    }
  }

  private static void checkOnly(JsonNode node, Path file, String where, String... allowed) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        checkOnly(n, file, where, allowed);
      }
      return;
    }
    Set<String> ok = Set.of(allowed);
    node.fieldNames().forEachRemaining(f -> {
      if (!ok.contains(f)) {
        throw new IllegalArgumentException(file + ": " + where + "." + f + " is not supported by this renderer");
      }
    });
  }

  /** An image reference split into name, tag and digest. */
  record ImageRef(String name, String tag, String digest) {
    static ImageRef parse(String ref) {
      String digest = null;
      int at = ref.indexOf('@');
      if (at >= 0) {
        digest = ref.substring(at + 1);
        ref = ref.substring(0, at);
      }
      String tag = null;
      int colon = ref.lastIndexOf(':');
      if (colon > ref.lastIndexOf('/')) {
        tag = ref.substring(colon + 1);
        ref = ref.substring(0, colon);
      }
      return new ImageRef(ref, tag, digest);
    }
  }

  /** The rendered resources as an array, for diagnostics. */
  static ArrayNode asArray(List<ObjectNode> resources) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    resources.forEach(a::add);
    return a;
  }
}
