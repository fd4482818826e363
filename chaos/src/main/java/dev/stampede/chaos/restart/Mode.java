package dev.stampede.chaos.restart;

import java.time.Duration;

/**
 * Which of the selected targets a restart acts on, named as in Chaos Mesh ({@code one}, {@code all},
 * {@code fixed}, {@code fixed-percent}, {@code random-max-percent}) plus {@code waves}.
 *
 * <p>Counting follows Chaos Mesh: {@code fixed} N larger than the match acts on all; {@code fixed-percent} P
 * rounds down ({@code floor(n × P / 100)}); {@code random-max-percent} P draws a percentage uniformly from
 * [0, P] and then rounds down. A mode that would select nothing is refused by the engine rather than silently
 * doing nothing. Which targets are picked is random, from the plan's seed.
 *
 * <p>{@code waves} acts on every selected target, a fraction at a time: wave k starts {@code k × interval} after
 * the first (start to start), and with {@code waitUntilReady} also not before the targets are ready again.
 *
 * <p>All implementations are immutable values.
 */
public sealed interface Mode {

  /** The Chaos Mesh name of the mode. */
  String name();

  /**
   * How many of {@code matched} targets this mode acts on (all of them for {@link Waves}).
   *
   * @param matched the number of targets matched, at least 1
   * @param random the source of randomness for {@link RandomMaxPercent}
   */
  int count(int matched, java.util.random.RandomGenerator random);

  /** One target, picked at random. */
  record One() implements Mode {
    @Override
    public String name() {
      return "one";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      return Math.min(1, matched);
    }

    @Override
    public String toString() {
      return "one";
    }
  }

  /** Every target. */
  record All() implements Mode {
    @Override
    public String name() {
      return "all";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      return matched;
    }

    @Override
    public String toString() {
      return "all";
    }
  }

  /**
   * A fixed number of targets (all of them when fewer match).
   *
   * @param value the number, at least 1
   */
  record Fixed(int value) implements Mode {
    /** @throws IllegalArgumentException if {@code value < 1} */
    public Fixed {
      if (value < 1) {
        throw new IllegalArgumentException("value: " + value + " (expected: >= 1 for mode fixed)");
      }
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      return Math.min(value, matched);
    }

    @Override
    public String toString() {
      return "fixed " + value;
    }
  }

  /**
   * A fixed percentage of the targets, rounded down.
   *
   * @param value the percentage, 1 to 100
   */
  record FixedPercent(int value) implements Mode {
    /** @throws IllegalArgumentException if {@code value} is not in 1..100 */
    public FixedPercent {
      checkPercent(value, "fixed-percent");
    }

    @Override
    public String name() {
      return "fixed-percent";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      return (int) Math.floor(matched * (double) value / 100);
    }

    @Override
    public String toString() {
      return "fixed-percent " + value + "%";
    }
  }

  /**
   * Up to a percentage of the targets: a percentage drawn uniformly from [0, value], rounded down.
   *
   * @param value the maximum percentage, 1 to 100
   */
  record RandomMaxPercent(int value) implements Mode {
    /** @throws IllegalArgumentException if {@code value} is not in 1..100 */
    public RandomMaxPercent {
      checkPercent(value, "random-max-percent");
    }

    @Override
    public String name() {
      return "random-max-percent";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      int percent = random.nextInt(value + 1);
      return (int) Math.floor(matched * (double) percent / 100);
    }

    @Override
    public String toString() {
      return "random-max-percent " + value + "%";
    }
  }

  /**
   * Every target, in waves.
   *
   * @param fraction the share of the matched targets per wave, in (0, 1]; a wave has {@code ceil(fraction × n)}
   * @param interval the time from the start of one wave to the start of the next, {@code >= 0}
   * @param waitUntilReady whether a wave also waits until the targets of the earlier waves are ready again
   */
  record Waves(double fraction, Duration interval, boolean waitUntilReady) implements Mode {
    /** @throws IllegalArgumentException if the fraction is not in (0, 1] or the interval is negative */
    public Waves {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("fraction: " + fraction + " (expected: > 0 and <= 1)");
      }
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0)");
      }
    }

    @Override
    public String name() {
      return "waves";
    }

    @Override
    public int count(int matched, java.util.random.RandomGenerator random) {
      return matched;
    }

    /** The number of targets in each wave (the last may have fewer). */
    public int waveSize(int matched) {
      // The epsilon keeps 0.1 × 30 at 3 although the double product is 3.0000000000000004.
      return Math.max(1, (int) Math.ceil(fraction * matched - 1e-9));
    }

    @Override
    public String toString() {
      return "waves of " + Math.round(fraction * 1000) / 10.0 + "% every " + interval.toMillis() / 1000.0 + "s"
          + (waitUntilReady ? " (waiting until ready)" : "");
    }
  }

  private static void checkPercent(int value, String mode) {
    if (value < 1 || value > 100) {
      throw new IllegalArgumentException("value: " + value + " (expected: 1..100 for mode " + mode + ")");
    }
  }
}
