package dev.stampede.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {
  private static final int SAMPLES = 20_000;
  private static final int BINS = 10;
  /** Chi-square critical value, 9 degrees of freedom, p = 0.001. */
  private static final double CHI2_9_001 = 27.88;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 12})
  void fullJitter_staysBelowTheCappedCeiling_andIsUniformBelowIt(int n) {
    Backoff backoff = Backoff.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, new Random(n));
    long ceiling = Math.min(30_000_000_000L, (long) (500_000_000L * Math.pow(2, n - 1)));
    int[] bins = new int[BINS];
    double sum = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long d = backoff.delayNanos(n);
      assertThat(d).isBetween(0L, ceiling);
      bins[(int) Math.min(BINS - 1, d * BINS / ceiling)]++;
      sum += d;
    }
    assertThat(chiSquare(bins)).as("uniformity below the ceiling").isLessThan(CHI2_9_001);
    assertThat(sum / SAMPLES / ceiling).as("mean / ceiling").isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void fullJitter_ceilingDoublesUpToTheCap() {
    // With a generator that always draws just below 1, the delay is the ceiling itself.
    Backoff backoff = Backoff.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, () -> -1L);
    long[] expectedMillis = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int n = 1; n <= expectedMillis.length; n++) {
      assertThat(backoff.delayNanos(n) / 1_000_000.0).as("n=%d", n)
          .isCloseTo(expectedMillis[n - 1], org.assertj.core.data.Offset.offset(0.01));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 6, 20})
  void proportionalJitter_staysWithinTwentyPercent_andIsUniformInThatBand(int n) {
    Backoff backoff = Backoff.proportionalJitter(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2,
        new Random(100 + n));
    long ceiling = Math.min(1_000_000_000L, (long) (100_000_000L * Math.pow(1.6, n - 1)));
    long low = (long) (ceiling * 0.8);
    long high = (long) (ceiling * 1.2);
    int[] bins = new int[BINS];
    for (int i = 0; i < SAMPLES; i++) {
      long d = backoff.delayNanos(n);
      assertThat(d).isBetween(low, high);
      bins[(int) Math.min(BINS - 1, (d - low) * BINS / (high - low))]++;
    }
    assertThat(chiSquare(bins)).isLessThan(CHI2_9_001);
  }

  @Test
  void proportionalJitter_atTheCap_neverExceedsOnePointTwoSeconds() {
    Backoff backoff = Backoff.proportionalJitter(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2,
        new Random(7));
    long max = 0;
    for (int i = 0; i < SAMPLES; i++) {
      max = Math.max(max, backoff.delayNanos(50));
    }
    assertThat(max).isLessThanOrEqualTo(1_200_000_000L).isGreaterThan(1_190_000_000L);
  }

  @Test
  void fixed_isAlwaysTheSame() {
    Backoff backoff = Backoff.fixed(Duration.ofSeconds(6));
    assertThat(backoff.delayNanos(1)).isEqualTo(6_000_000_000L);
    assertThat(backoff.delayNanos(99)).isEqualTo(6_000_000_000L);
  }

  @Test
  void invalidSettings_areRejectedNamingTheArgument() {
    Random r = new Random();
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ZERO, Duration.ofSeconds(1), 2, r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("initial: ");
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("max: ");
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("multiplier: ");
    assertThatThrownBy(() -> Backoff.proportionalJitter(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 1.0, r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jitter: ");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(1)).delayNanos(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("n: ");
  }

  private static double chiSquare(int[] bins) {
    double expected = (double) SAMPLES / bins.length;
    double chi = 0;
    for (int count : bins) {
      chi += (count - expected) * (count - expected) / expected;
    }
    return chi;
  }
}
