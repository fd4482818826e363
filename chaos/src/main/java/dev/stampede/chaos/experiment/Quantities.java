package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the quantities experiment files use: durations, rates and client counts. */
final class Quantities {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern RATE_OF_CAPACITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*C");
  private static final Pattern RATE_PER_SECOND = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*s");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
  private static final Pattern COUNT = Pattern.compile("\\d[\\d_]*");

  private Quantities() {
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m30s}, {@code 2.5s}; {@code null} if malformed. */
  static Duration parseDuration(String text) {
    if (text.isEmpty()) {
      return null;
    }
    Matcher m = DURATION_PART.matcher(text);
    int end = 0;
    double nanos = 0;
    while (m.find() && m.start() == end) {
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      end = m.end();
    }
    if (end != text.length() || nanos > 365 * 24 * 3600e9) {
      return null;
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** {@code 0.8C} (a fraction of the calibrated capacity) or {@code 25/s}; {@code null} if malformed or 0. */
  static Rate parseRate(String text) {
    Matcher c = RATE_OF_CAPACITY.matcher(text);
    if (c.matches()) {
      double v = Double.parseDouble(c.group(1));
      return v > 0 ? Rate.ofCapacity(v) : null;
    }
    Matcher s = RATE_PER_SECOND.matcher(text);
    if (s.matches()) {
      double v = Double.parseDouble(s.group(1));
      return v > 0 ? Rate.perSecond(v) : null;
    }
    return null;
  }

  /** {@code 500} or {@code 25%}; {@code null} if malformed. */
  static ClientCount parseCount(String text) {
    Matcher p = PERCENT.matcher(text);
    if (p.matches()) {
      return ClientCount.percent(Double.parseDouble(p.group(1)));
    }
    if (COUNT.matcher(text).matches()) {
      try {
        return ClientCount.absolute(Integer.parseInt(text.replace("_", "")));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** {@code 1.5s}, {@code 250ms}, {@code 2m} as text. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    return ms / 1000.0 + "s";
  }
}
