package dev.stampede.chaos.restart.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.Durations;
import dev.stampede.chaos.restart.Mode;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.Selector;
import dev.stampede.chaos.restart.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Chaos Mesh {@code PodChaos} ({@code chaos-mesh.org/v1alpha1}) and maps it onto a {@link RestartPlan},
 * so an experiment written for Chaos Mesh runs on Stampede's engines unchanged — or is refused with the reason.
 *
 * <table>
 *   <caption>What is mapped</caption>
 *   <tr><th>PodChaos</th><th>Stampede</th></tr>
 *   <tr><td>{@code action: pod-kill}, {@code gracePeriod} (s, default 0)</td><td>kill</td></tr>
 *   <tr><td>{@code action: pod-failure}, {@code duration} (required)</td><td>fail (local engine only)</td></tr>
 *   <tr><td>{@code mode}, {@code value}</td><td>the same mode</td></tr>
 *   <tr><td>{@code selector.namespaces} (at most one; default {@code metadata.namespace})</td><td>namespace</td></tr>
 *   <tr><td>{@code selector.labelSelectors}, {@code selector.expressionSelectors}</td><td>label selector</td></tr>
 * </table>
 *
 * <p>Refused, each with a one-line reason: {@code container-kill}; field, annotation, node, pod-name and phase
 * selectors; several namespaces; {@code containerNames}; {@code remoteCluster}; kinds other than
 * {@code PodChaos} (a {@code Schedule} is a CronJob's job); unknown fields. {@code status} and metadata other than
 * the namespace are ignored. Stateless and thread-safe.
 */
public final class PodChaosImport {

  /** The API version read. */
  public static final String API_VERSION = "chaos-mesh.org/v1alpha1";

  /**
   * The mapped plan and what the mapping wants the user to know.
   *
   * @param plan the plan (mode, action, target as in the file; not a dry run)
   * @param notes remarks such as ignored fields, for the terminal
   */
  public record Imported(RestartPlan plan, List<String> notes) {
    /** Copies the notes. */
    public Imported {
      notes = List.copyOf(notes);
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> SPEC_FIELDS = Set.of("action", "mode", "value", "selector", "gracePeriod",
      "duration", "containerNames", "remoteCluster");
  private static final Set<String> SELECTOR_FIELDS = Set.of("namespaces", "labelSelectors", "expressionSelectors",
      "fieldSelectors", "annotationSelectors", "podPhaseSelectors", "nodes", "nodeSelectors", "pods");

  private PodChaosImport() {}

  /**
   * Reads a PodChaos file.
   *
   * @throws IllegalArgumentException if the file is not a PodChaos we can map; the message names the field
   */
  public static Imported read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses a PodChaos document.
   *
   * @param source the file name, for messages
   * @throws IllegalArgumentException if the document is not a PodChaos we can map; the message names the field
   */
  public static Imported parse(String yaml, String source) {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      com.fasterxml.jackson.databind.MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
    if (docs.size() != 1) {
      throw new IllegalArgumentException(source + ": expected one PodChaos document, found " + docs.size());
    }
    return map(docs.get(0), source);
  }

  private static Imported map(JsonNode doc, String source) {
    String at = source + ": ";
    List<String> notes = new ArrayList<>();
    if (!doc.isObject()) {
      throw new IllegalArgumentException(at + "expected a PodChaos object");
    }
    String kind = doc.path("kind").asText("");
    if (!kind.equals("PodChaos")) {
      throw new IllegalArgumentException(at + "kind: '" + kind + "' is not supported (expected: PodChaos"
          + (kind.equals("Schedule") ? "; schedule restarts with a CronJob, see k8s/chaos" : "") + ")");
    }
    String apiVersion = doc.path("apiVersion").asText("");
    if (!apiVersion.equals(API_VERSION)) {
      throw new IllegalArgumentException(at + "apiVersion: '" + apiVersion + "' (expected: " + API_VERSION + ")");
    }
    JsonNode spec = doc.path("spec");
    if (!spec.isObject()) {
      throw new IllegalArgumentException(at + "spec: missing");
    }
    for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SPEC_FIELDS.contains(f)) {
        throw new IllegalArgumentException(at + "spec." + f + ": not supported (Stampede maps action, mode, value,"
            + " selector, gracePeriod and duration)");
      }
    }
    if (spec.has("containerNames")) {
      throw new IllegalArgumentException(at + "spec.containerNames: not supported (Stampede restarts whole pods,"
          + " not single containers)");
    }
    if (spec.has("remoteCluster")) {
      throw new IllegalArgumentException(at + "spec.remoteCluster: not supported (the engine acts on the cluster"
          + " of its kubeconfig or service account)");
    }

    Target target = target(spec.path("selector"), doc.path("metadata").path("namespace").asText(null), at);
    RestartPlan.Builder plan = RestartPlan.builder(target).mode(mode(spec, at));

    String action = spec.path("action").asText("");
    switch (action) {
      case "pod-kill" -> {
        long grace = 0;
        if (spec.has("gracePeriod")) {
          JsonNode g = spec.get("gracePeriod");
          if (!g.canConvertToLong() || !g.isIntegralNumber() || g.asLong() < 0) {
            throw new IllegalArgumentException(at + "spec.gracePeriod: '" + g.asText()
                + "' (expected: whole seconds >= 0)");
          }
          grace = g.asLong();
        }
        plan.action(Action.Kill.withGrace(Duration.ofSeconds(grace)));
        if (spec.has("duration")) {
          notes.add("spec.duration is ignored for pod-kill (as in Chaos Mesh)");
        }
      }
      case "pod-failure" -> {
        if (!spec.path("duration").isTextual()) {
          throw new IllegalArgumentException(at + "spec.duration: required for pod-failure (how long the pods stay"
              + " down, e.g. 30s)");
        }
        Duration d = Durations.parse(spec.get("duration").asText(), at + "spec.duration");
        if (d.isZero()) {
          throw new IllegalArgumentException(at + "spec.duration: 0s (expected: > 0)");
        }
        plan.action(new Action.Fail(d));
        if (spec.has("gracePeriod")) {
          notes.add("spec.gracePeriod is ignored for pod-failure (as in Chaos Mesh)");
        }
        notes.add("pod-failure maps to fail: each pod is down for " + Durations.format(d)
            + "; only the local engine supports it");
      }
      case "container-kill" -> throw new IllegalArgumentException(at + "spec.action: container-kill is not"
          + " supported (Stampede restarts whole pods; use pod-kill)");
      case "" -> throw new IllegalArgumentException(at + "spec.action: missing (expected: pod-kill or pod-failure)");
      default -> throw new IllegalArgumentException(at + "spec.action: '" + action
          + "' (expected: pod-kill or pod-failure)");
    }
    return new Imported(plan.build(), notes);
  }

  private static Mode mode(JsonNode spec, String at) {
    String mode = spec.path("mode").asText("");
    JsonNode valueNode = spec.get("value");
    String value = valueNode == null || valueNode.isNull() ? null : valueNode.asText();
    try {
      return switch (mode) {
        case "one" -> new Mode.One();
        case "all" -> new Mode.All();
        case "fixed" -> new Mode.Fixed(intValue(value, mode, at));
        case "fixed-percent" -> new Mode.FixedPercent(intValue(value, mode, at));
        case "random-max-percent" -> new Mode.RandomMaxPercent(intValue(value, mode, at));
        case "" -> throw new IllegalArgumentException(at + "spec.mode: missing (expected: one, all, fixed,"
            + " fixed-percent or random-max-percent)");
        default -> throw new IllegalArgumentException(at + "spec.mode: '" + mode + "' (expected: one, all, fixed,"
            + " fixed-percent or random-max-percent)");
      };
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(at)) {
        throw e;
      }
      throw new IllegalArgumentException(at + "spec." + e.getMessage(), e);
    }
  }

  private static int intValue(String value, String mode, String at) {
    if (value == null || !value.trim().matches("\\d{1,9}")) {
      throw new IllegalArgumentException(at + "spec.value: " + (value == null ? "missing" : "'" + value + "'")
          + " (expected: a whole number for mode " + mode + ")");
    }
    return Integer.parseInt(value.trim());
  }

  private static Target target(JsonNode selector, String chaosNamespace, String at) {
    if (!selector.isObject()) {
      throw new IllegalArgumentException(at + "spec.selector: missing (expected: labelSelectors or"
          + " expressionSelectors; Stampede never acts without a selector)");
    }
    for (Iterator<String> it = selector.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SELECTOR_FIELDS.contains(f)) {
        throw new IllegalArgumentException(at + "spec.selector." + f + ": unknown field");
      }
      if (!f.equals("namespaces") && !f.equals("labelSelectors") && !f.equals("expressionSelectors")) {
        throw new IllegalArgumentException(at + "spec.selector." + f + ": not supported (Stampede selects pods by"
            + " namespace and labels only)");
      }
    }
    String namespace = chaosNamespace;
    JsonNode namespaces = selector.get("namespaces");
    if (namespaces != null) {
      if (!namespaces.isArray()) {
        throw new IllegalArgumentException(at + "spec.selector.namespaces: expected a list");
      }
      if (namespaces.size() > 1) {
        throw new IllegalArgumentException(at + "spec.selector.namespaces: " + namespaces.size()
            + " namespaces (expected: one; a Stampede restart acts in one namespace, split the PodChaos)");
      }
      if (namespaces.size() == 1) {
        namespace = namespaces.get(0).asText();
      }
    }
    List<Selector.Requirement> requirements = new ArrayList<>();
    JsonNode labels = selector.get("labelSelectors");
    if (labels != null) {
      if (!labels.isObject()) {
        throw new IllegalArgumentException(at + "spec.selector.labelSelectors: expected a map of label to value");
      }
      Map<String, String> map = new LinkedHashMap<>();
      labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
      if (!map.isEmpty()) {
        try {
          requirements.addAll(Selector.ofLabels(map).requirements());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + "spec.selector.labelSelectors: " + e.getMessage(), e);
        }
      }
    }
    JsonNode expressions = selector.get("expressionSelectors");
    if (expressions != null) {
      if (!expressions.isArray()) {
        throw new IllegalArgumentException(at + "spec.selector.expressionSelectors: expected a list");
      }
      for (int i = 0; i < expressions.size(); i++) {
        requirements.add(expression(expressions.get(i), at + "spec.selector.expressionSelectors[" + i + "]"));
      }
    }
    try {
      return new Target(namespace, Selector.of(requirements));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + "spec." + e.getMessage(), e);
    }
  }

  private static Selector.Requirement expression(JsonNode e, String at) {
    String key = e.path("key").asText("");
    String op = e.path("operator").asText("");
    List<String> values = new ArrayList<>();
    e.path("values").forEach(v -> values.add(v.asText()));
    Selector.Operator operator = switch (op) {
      case "In" -> Selector.Operator.IN;
      case "NotIn" -> Selector.Operator.NOT_IN;
      case "Exists" -> Selector.Operator.EXISTS;
      case "DoesNotExist" -> Selector.Operator.DOES_NOT_EXIST;
      default -> throw new IllegalArgumentException(at + ".operator: '" + op
          + "' (expected: In, NotIn, Exists or DoesNotExist)");
    };
    boolean needsValues = operator == Selector.Operator.IN || operator == Selector.Operator.NOT_IN;
    if (needsValues == values.isEmpty()) {
      throw new IllegalArgumentException(at + ".values: " + (needsValues ? "required for " : "not allowed for ")
          + op);
    }
    // Parse through the string form so keys and values get the same checks as a --selector.
    String text = switch (operator) {
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      case EXISTS -> key;
      default -> "!" + key;
    };
    try {
      return Selector.parseRequirement(text);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
