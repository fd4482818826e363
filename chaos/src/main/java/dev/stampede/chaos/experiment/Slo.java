package dev.stampede.chaos.experiment;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service-level objective of an experiment: {@code metric op threshold}, e.g. {@code recovery_ratio <= 1.5}.
 * An SLO on a metric that has no value in a run (the ratio of a run that never recovered) does not hold.
 *
 * @param metric the measured quantity
 * @param op the comparison
 * @param threshold the number compared with
 */
public record Slo(SloMetric metric, Op op, double threshold) {

  private static final Pattern FORM = Pattern.compile("\\s*([a-z0-9_]+)\\s*(<=|>=|==|!=|<|>)\\s*(\\S+)\\s*");

  /** A comparison operator. */
  public enum Op {
    LE("<="), LT("<"), GE(">="), GT(">"), EQ("=="), NE("!=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written, e.g. {@code <=}. */
    public String symbol() {
      return symbol;
    }

    boolean test(double value, double threshold) {
      return switch (this) {
        case LE -> value <= threshold;
        case LT -> value < threshold;
        case GE -> value >= threshold;
        case GT -> value > threshold;
        case EQ -> value == threshold;
        case NE -> value != threshold;
      };
    }

    static Op bySymbol(String s) {
      for (Op op : values()) {
        if (op.symbol.equals(s)) {
          return op;
        }
      }
      return null;
    }
  }

  /** Checks the fields. */
  public Slo {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(op, "op");
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold: " + threshold + " (expected: a finite number)");
    }
  }

  /**
   * Parses {@code metric op threshold}; {@code true}/{@code false} are accepted as thresholds of
   * {@code recovered}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong and what was expected
   */
  public static Slo parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text
          + "' (expected: METRIC OP NUMBER such as 'recovery_ratio <= 1.5', OP one of <= < >= > == !=)");
    }
    SloMetric metric = SloMetric.byId(m.group(1));
    if (metric == null) {
      throw new IllegalArgumentException("'" + m.group(1) + "' is not a metric (expected one of: "
          + SloMetric.ids() + ")");
    }
    String number = m.group(3);
    double threshold;
    if (metric == SloMetric.RECOVERED && (number.equals("true") || number.equals("false"))) {
      threshold = number.equals("true") ? 1 : 0;
    } else {
      try {
        threshold = Double.parseDouble(number);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + number + "' in '" + text.trim() + "' (expected: a number)");
      }
      if (!Double.isFinite(threshold)) {
        throw new IllegalArgumentException("'" + number + "' in '" + text.trim() + "' (expected: a finite number)");
      }
    }
    return new Slo(metric, Op.bySymbol(m.group(2)), threshold);
  }

  /** Judges a measured value ({@code null} = no value in this run). */
  public Verdict judge(Double value) {
    if (value == null || value.isNaN()) {
      return new Verdict(this, null, false);
    }
    return new Verdict(this, value, op.test(value, threshold));
  }

  @Override
  public String toString() {
    String t = threshold == Math.rint(threshold) && Math.abs(threshold) < 1e15
        ? Long.toString((long) threshold) : Double.toString(threshold);
    return metric.id() + " " + op.symbol() + " " + t;
  }

  /**
   * The outcome of one SLO on one run.
   *
   * @param slo the objective
   * @param value the measured value, or {@code null} when the run has none
   * @param held whether the objective held
   */
  public record Verdict(Slo slo, Double value, boolean held) {
  }
}
