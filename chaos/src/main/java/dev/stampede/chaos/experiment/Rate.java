package dev.stampede.chaos.experiment;

/**
 * A request rate, either absolute ({@code 25/s}) or relative to the capacity C that the calibration phase
 * measures on this run ({@code 0.8C}). Relative rates are what make one file meaningful on any machine.
 *
 * @param value the number: per second, or a multiple of C
 * @param ofCapacity whether {@code value} is a multiple of C
 */
public record Rate(double value, boolean ofCapacity) {

  /** @throws IllegalArgumentException if {@code value} is not positive and finite */
  public Rate {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("value: " + value + " (expected: > 0)");
    }
  }

  /** {@code value} × C. */
  public static Rate ofCapacity(double value) {
    return new Rate(value, true);
  }

  /** {@code value} per second. */
  public static Rate perSecond(double value) {
    return new Rate(value, false);
  }

  /** The rate in requests per second, given the calibrated capacity. */
  public double resolve(double capacityPerSecond) {
    return ofCapacity ? value * capacityPerSecond : value;
  }

  @Override
  public String toString() {
    return ofCapacity ? trim(value) + "C" : trim(value) + "/s";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
