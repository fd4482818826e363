package dev.stampede.chaos.experiment;

import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One field of a YAML document, by path, with typed accessors that fail with an {@link ExperimentException}
 * naming the field and its position. A field that is absent (or explicitly null) is "missing": required accessors
 * fail on it, optional ones return their default.
 *
 * <p>Reading goes through SnakeYAML's node API (not object binding) so that every error can point at a line and
 * column, and so that unknown fields are errors rather than silently ignored typos.
 */
final class YamlField {
  // A generous bound for hand-written files; stops a runaway or hostile file early.
  private static final int MAX_DOCUMENT_CHARS = 1 << 20;

  private final String source;
  private final String path;
  private final Node node;
  private final Node parent;

  private YamlField(String source, String path, Node node, Node parent) {
    this.source = source;
    this.path = path;
    this.node = node != null && node.getTag().equals(Tag.NULL) ? null : node;
    this.parent = parent;
  }

  /** Parses one YAML document; an empty document is an error. */
  static YamlField root(String source, Reader reader) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(MAX_DOCUMENT_CHARS);
    options.setAllowRecursiveKeys(false);
    Node node;
    try {
      node = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage());
      throw new ExperimentException(source, mark == null ? 0 : mark.getLine() + 1,
          mark == null ? 0 : mark.getColumn() + 1, "", problem);
    } catch (YAMLException e) {
      throw new ExperimentException(source, 0, 0, "", "not valid YAML: " + e.getMessage());
    }
    if (node == null) {
      throw new ExperimentException(source, 0, 0, "", "the file is empty (expected: an experiment mapping)");
    }
    YamlField root = new YamlField(source, "", node, null);
    root.mapping();
    return root;
  }

  String path() {
    return path;
  }

  boolean present() {
    return node != null;
  }

  ExperimentException error(String problem) {
    Node at = node != null ? node : parent;
    int line = at == null ? 0 : at.getStartMark().getLine() + 1;
    int column = at == null ? 0 : at.getStartMark().getColumn() + 1;
    return new ExperimentException(source, line, column, path, problem);
  }

  /** The child field of a mapping (missing if this field is missing or the key is absent). */
  YamlField field(String key) {
    String childPath = path.isEmpty() ? key : path + "." + key;
    if (node == null) {
      return new YamlField(source, childPath, null, parent);
    }
    Node value = mapping().get(key);
    return new YamlField(source, childPath, value, node);
  }

  /** Fails on any key of this mapping that is not listed. */
  YamlField allowOnly(String... keys) {
    if (node == null) {
      return this;
    }
    Set<String> allowed = Set.of(keys);
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      String key = keyOf(tuple);
      if (!allowed.contains(key)) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        throw new YamlField(source, childPath, tuple.getKeyNode(), node)
            .error("unknown field (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
    return this;
  }

  /** Fails when the field is missing. */
  YamlField required() {
    if (node == null) {
      throw error("missing (required)");
    }
    return this;
  }

  List<YamlField> list() {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      throw error("a " + kind(node) + " (expected: a list)");
    }
    List<YamlField> out = new ArrayList<>();
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      out.add(new YamlField(source, path + "[" + i + "]", items.get(i), node));
    }
    return out;
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  String string() {
    required();
    if (!(node instanceof ScalarNode scalar)) {
      throw error("a " + kind(node) + " (expected: a single value)");
    }
    return scalar.getValue().trim();
  }

  String string(String defaultValue) {
    return node == null ? defaultValue : string();
  }

  String oneOf(String defaultValue, String... values) {
    String value = string(defaultValue);
    for (String v : values) {
      if (v.equals(value)) {
        return v;
      }
    }
    throw error("'" + value + "' (expected one of: " + String.join(", ", values) + ")");
  }

  int integer(int defaultValue, int min, int max) {
    if (node == null) {
      return defaultValue;
    }
    String text = string();
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("'" + text + "' (expected: an integer in " + min + ".." + max + ")");
    }
    if (value < min || value > max) {
      throw error(text + " (expected: an integer in " + min + ".." + max + ")");
    }
    return (int) value;
  }

  double number(double defaultValue, double minExclusive, double max) {
    if (node == null) {
      return defaultValue;
    }
    String text = string();
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw error("'" + text + "' (expected: a number > " + minExclusive + " and <= " + max + ")");
    }
    if (!(value > minExclusive && value <= max)) {
      throw error(text + " (expected: a number > " + minExclusive + " and <= " + max + ")");
    }
    return value;
  }

  boolean bool(boolean defaultValue) {
    if (node == null) {
      return defaultValue;
    }
    String text = string();
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error("'" + text + "' (expected: true or false)");
    };
  }

  Duration duration(Duration defaultValue) {
    if (node == null) {
      return defaultValue;
    }
    String text = string();
    Duration d = Quantities.parseDuration(text);
    if (d == null) {
      throw error("'" + text + "' (expected: a duration with a unit, such as 500ms, 30s, 2m or 1m30s)");
    }
    return d;
  }

  Duration positiveDuration(Duration defaultValue) {
    Duration d = duration(defaultValue);
    if (d != null && (d.isZero() || d.isNegative())) {
      throw error(string() + " (expected: a duration > 0)");
    }
    return d;
  }

  private Map<String, Node> mapping() {
    if (!(node instanceof MappingNode map)) {
      throw error("a " + kind(node) + " (expected: a mapping of fields)");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      String key = keyOf(tuple);
      if (out.put(key, tuple.getValueNode()) != null) {
        throw new YamlField(source, path.isEmpty() ? key : path + "." + key, tuple.getKeyNode(), node)
            .error("given twice (expected: each field once)");
      }
    }
    return out;
  }

  private String keyOf(NodeTuple tuple) {
    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
      throw new YamlField(source, path, tuple.getKeyNode(), node).error("a complex key (expected: a field name)");
    }
    return key.getValue();
  }

  private static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "mapping";
    }
    if (n instanceof SequenceNode) {
      return "list";
    }
    return "value";
  }
}
