package dev.stampede.chaos.restart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form ({@code app.kubernetes.io/name=auth,tier!=canary,
 * zone in (a,b),!legacy}), parsed once and matched locally.
 *
 * <p>Both engines match with this class: the local engine has no server to ask, and the Kubernetes engine
 * re-checks what the API server returned, so a server (or test double) that ignores set-based requirements
 * can never widen a selection.
 *
 * <p>A selector that could select "everything" is refused at parse time: it must contain at least one
 * positive requirement ({@code =}, {@code ==}, {@code in} or a bare key). {@code app!=x} alone would match
 * every pod of a namespace, which is never what a restart should do.
 *
 * <p>Immutable and thread-safe.
 */
public final class Selector {

  /** The operator of one requirement. */
  public enum Operator {
    /** {@code key=value} or {@code key==value}. */
    EQUALS,
    /** {@code key!=value}: matches when the label is absent or different. */
    NOT_EQUALS,
    /** {@code key in (a,b)}. */
    IN,
    /** {@code key notin (a,b)}: matches when the label is absent or not listed. */
    NOT_IN,
    /** {@code key}: the label exists. */
    EXISTS,
    /** {@code !key}: the label does not exist. */
    DOES_NOT_EXIST
  }

  /**
   * One requirement of a selector.
   *
   * @param key the label key
   * @param operator the operator
   * @param values the values, sorted (empty for {@link Operator#EXISTS} and {@link Operator#DOES_NOT_EXIST})
   */
  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      values = List.copyOf(values);
    }

    /** Whether a set of labels satisfies this requirement. */
    public boolean matches(Map<String, String> labels) {
      String actual = labels.get(key);
      return switch (operator) {
        case EQUALS -> values.get(0).equals(actual);
        case NOT_EQUALS -> !values.get(0).equals(actual);
        case IN -> actual != null && values.contains(actual);
        case NOT_IN -> actual == null || !values.contains(actual);
        case EXISTS -> actual != null;
        case DOES_NOT_EXIST -> actual == null;
      };
    }

    boolean positive() {
      return operator == Operator.EQUALS || operator == Operator.IN || operator == Operator.EXISTS;
    }

    @Override
    public String toString() {
      return switch (operator) {
        case EQUALS -> key + "=" + values.get(0);
        case NOT_EQUALS -> key + "!=" + values.get(0);
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  // Kubernetes label syntax: an optional DNS-subdomain prefix and a name of at most 63 characters.
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)");

  private static final Pattern SET_REQUIREMENT = Pattern.compile("\\s*(\\S+)\\s+(in|notin)\\s*\\((.*)\\)\\s*");

  private final List<Requirement> requirements;

  private Selector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /**
   * Parses a selector string.
   *
   * @throws IllegalArgumentException if the string is empty, malformed, or has no positive requirement;
   *     the message says which part and what was expected
   */
  public static Selector parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "selector: empty (expected: a label selector such as app.kubernetes.io/name=auth)");
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      out.add(parseRequirement(part.trim(), text));
    }
    return of(out);
  }

  /**
   * Builds a selector of equality requirements from a label map (as in a PodChaos {@code labelSelectors}).
   *
   * @throws IllegalArgumentException if the map is empty or a key/value is malformed
   */
  public static Selector ofLabels(Map<String, String> labels) {
    List<Requirement> out = new ArrayList<>();
    new java.util.TreeMap<>(labels).forEach((k, v) -> {
      checkKey(k, k + "=" + v);
      checkValue(v, k + "=" + v);
      out.add(new Requirement(k, Operator.EQUALS, List.of(v)));
    });
    return of(out);
  }

  /**
   * Builds a selector from requirements.
   *
   * @throws IllegalArgumentException if there is no positive requirement
   */
  public static Selector of(List<Requirement> requirements) {
    if (requirements.isEmpty()) {
      throw new IllegalArgumentException(
          "selector: empty (expected: a label selector such as app.kubernetes.io/name=auth)");
    }
    if (requirements.stream().noneMatch(Requirement::positive)) {
      throw new IllegalArgumentException("selector: '" + new Selector(requirements)
          + "' has only negative requirements and would select almost everything"
          + " (expected: at least one key=value, key in (...) or key)");
    }
    return new Selector(requirements);
  }

  /**
   * Parses one requirement ({@code key=value}, {@code key in (a,b)}, {@code !key}, ...).
   *
   * @throws IllegalArgumentException if malformed
   */
  public static Requirement parseRequirement(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("selector: empty requirement");
    }
    return parseRequirement(text.trim(), text);
  }

  /** The requirements, in the order given. */
  public List<Requirement> requirements() {
    return requirements;
  }

  /** Whether every requirement holds for the labels. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) {
      if (!r.matches(l)) {
        return false;
      }
    }
    return true;
  }

  /** The equality requirements as a map (what a server-side {@code withLabels} filter can use). */
  public Map<String, String> equalities() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Requirement r : requirements) {
      if (r.operator() == Operator.EQUALS) {
        out.put(r.key(), r.values().get(0));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The canonical string form, accepted by {@link #parse} and by the Kubernetes API. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    requirements.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Selector s && s.requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth < 0) {
          throw malformed(text, "unbalanced ')'");
        }
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw malformed(text, "unbalanced '('");
    }
    parts.add(text.substring(start));
    for (String p : parts) {
      if (p.isBlank()) {
        throw malformed(text, "empty requirement");
      }
    }
    return parts;
  }

  private static Requirement parseRequirement(String part, String whole) {
    java.util.regex.Matcher set = SET_REQUIREMENT.matcher(part);
    if (set.matches()) {
      String key = set.group(1);
      Operator op = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
      checkKey(key, part);
      Set<String> values = new TreeSet<>();
      for (String v : set.group(3).split(",", -1)) {
        String value = v.trim();
        if (value.isEmpty()) {
          throw malformed(whole, "'" + part + "' has an empty value in its set");
        }
        checkValue(value, part);
        values.add(value);
      }
      return new Requirement(key, op, List.copyOf(values));
    }
    String[] ops = {"!=", "==", "="};
    for (String o : ops) {
      int i = part.indexOf(o);
      if (i >= 0) {
        String key = part.substring(0, i).trim();
        String value = part.substring(i + o.length()).trim();
        checkKey(key, part);
        checkValue(value, part);
        return new Requirement(key, o.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS, List.of(value));
      }
    }
    if (part.startsWith("!")) {
      String key = part.substring(1).trim();
      checkKey(key, part);
      return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }
    checkKey(part, part);
    return new Requirement(part, Operator.EXISTS, List.of());
  }

  static void checkKey(String key, String part) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("selector: '" + part + "' has an invalid key prefix '" + prefix
            + "' (expected: a DNS subdomain such as app.kubernetes.io)");
      }
    }
    if (name.isEmpty() || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("selector: '" + part + "' has an invalid key '" + key
          + "' (expected: at most 63 characters [A-Za-z0-9-_.], starting and ending alphanumeric)");
    }
  }

  static void checkValue(String value, String part) {
    if (value.length() > 63 || !VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException("selector: '" + part + "' has an invalid value '" + value
          + "' (expected: at most 63 characters [A-Za-z0-9-_.], starting and ending alphanumeric)");
    }
  }

  private static IllegalArgumentException malformed(String whole, String what) {
    return new IllegalArgumentException("selector: '" + whole + "': " + what);
  }
}
