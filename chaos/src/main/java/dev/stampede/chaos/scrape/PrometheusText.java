package dev.stampede.chaos.scrape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parser of the Prometheus text exposition format (version 0.0.4, and the sample lines of OpenMetrics 1.0:
 * exemplars, {@code # EOF}), as Micrometer writes it at {@code /q/metrics}. Comment, {@code HELP} and
 * {@code TYPE} lines are skipped; a malformed line is skipped too and counted, so one bad line never hides the
 * rest of a scrape.
 *
 * <p>Instances are immutable snapshots of one scrape; thread-safe.
 */
public final class PrometheusText {
  private final List<MetricSample> samples;
  private final int malformedLines;

  private PrometheusText(List<MetricSample> samples, int malformedLines) {
    this.samples = List.copyOf(samples);
    this.malformedLines = malformedLines;
  }

  /** Parses a scrape. */
  public static PrometheusText parse(String text) {
    List<MetricSample> out = new ArrayList<>();
    int malformed = 0;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      MetricSample s = parseLine(l);
      if (s == null) {
        malformed++;
      } else {
        out.add(s);
      }
    }
    return new PrometheusText(out, malformed);
  }

  /** Every sample, in scrape order. */
  public List<MetricSample> samples() {
    return samples;
  }

  /** Lines that could not be parsed. */
  public int malformedLines() {
    return malformedLines;
  }

  /** The samples of one metric name. */
  public List<MetricSample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** Whether any sample has this name. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The sum over the samples of a name (NaN samples skipped); {@code null} when there is none. */
  public Double sum(String name) {
    return sum(name, s -> true);
  }

  /** The sum over the samples of a name that match {@code filter}; {@code null} when none matches. */
  public Double sum(String name, Predicate<MetricSample> filter) {
    double total = 0;
    boolean any = false;
    for (MetricSample s : samples) {
      if (s.name().equals(name) && filter.test(s) && !Double.isNaN(s.value())) {
        total += s.value();
        any = true;
      }
    }
    return any ? total : null;
  }

  /** The largest sample of a name; {@code null} when there is none. */
  public Double max(String name) {
    Double max = null;
    for (MetricSample s : samples) {
      if (s.name().equals(name) && !Double.isNaN(s.value()) && (max == null || s.value() > max)) {
        max = s.value();
      }
    }
    return max;
  }

  // name{k="v",...} value [timestamp] [# exemplar]
  static MetricSample parseLine(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new HashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i < n && line.charAt(i) == '}') {
          i++;
          break;
        }
        int keyStart = i;
        while (i < n && isNameChar(line.charAt(i), i == keyStart)) {
          i++;
        }
        if (i == keyStart || i >= n || line.charAt(i) != '=') {
          return null;
        }
        String key = line.substring(keyStart, i);
        i++;
        if (i >= n || line.charAt(i) != '"') {
          return null;
        }
        i++;
        StringBuilder value = new StringBuilder();
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '\\' && i < n) {
            char e = line.charAt(i++);
            value.append(e == 'n' ? '\n' : e);
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          return null;
        }
        labels.put(key, value.toString());
      }
    }
    String rest = line.substring(i).strip();
    int hash = rest.indexOf(" #");
    if (hash >= 0) {
      rest = rest.substring(0, hash).strip();
    }
    if (rest.isEmpty()) {
      return null;
    }
    String[] parts = rest.split("\\s+");
    if (parts.length > 2) {
      return null;
    }
    Double value = parseValue(parts[0]);
    return value == null ? null : new MetricSample(name, labels, value);
  }

  private static Double parseValue(String text) {
    switch (text) {
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
  }
}
