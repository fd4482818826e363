package dev.stampede.chaos.experiment;

/**
 * A number of clients, absolute ({@code 500}) or a share of the population ({@code 25%}).
 *
 * @param value the count, or the percentage
 * @param percent whether {@code value} is a percentage of the population
 */
public record ClientCount(double value, boolean percent) {

  /** A fixed number of clients. */
  public static ClientCount absolute(int clients) {
    return new ClientCount(clients, false);
  }

  /** A percentage of the population. */
  public static ClientCount percent(double percent) {
    return new ClientCount(percent, true);
  }

  /** The whole population. */
  public static ClientCount all() {
    return percent(100);
  }

  /** The number of clients out of a population (percentages round to the nearest client). */
  public int of(int population) {
    return percent ? (int) Math.round(population * value / 100.0) : (int) value;
  }

  @Override
  public String toString() {
    return percent ? (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + "%"
        : Long.toString((long) value);
  }
}
