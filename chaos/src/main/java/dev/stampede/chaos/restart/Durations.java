package dev.stampede.chaos.restart;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Chaos Mesh and Kubernetes write them: Go's {@code time.ParseDuration} units
 * ({@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h}); a bare {@code 0} is zero.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param field the name used in the error message
   * @throws IllegalArgumentException if the text is not a duration, naming the field
   */
  public static Duration parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + ": empty (expected: a duration such as 10s, 500ms or 1m30s)");
    }
    String t = text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(t);
    int pos = 0;
    double nanos = 0;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(field + ": '" + text + "' (expected: a duration such as 10s, 500ms or 1m30s)");
      }
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      pos = m.end();
    }
    if (nanos > Long.MAX_VALUE / 2.0) {
      throw new IllegalArgumentException(field + ": '" + text + "' is too long");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Formats a duration the way {@link #parse} reads it: {@code 0s}, {@code 250ms}, {@code 10s}, {@code 1m30s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }
}
