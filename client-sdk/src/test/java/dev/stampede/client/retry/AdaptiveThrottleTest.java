package dev.stampede.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptiveThrottleTest {
  private static final Duration WINDOW = Duration.ofMinutes(2);

  @ParameterizedTest
  @CsvSource({
      "0, 0, 0.0",
      "10, 10, 0.0",
      "10, 5, 0.0",
      "10, 4, 0.18181818181818182",
      "10, 0, 0.9090909090909091",
      "100, 30, 0.39603960396039606",
      "1000, 1, 0.997002997002997",
  })
  void probability_isMaxZeroRequestsMinusTwiceAcceptsOverRequestsPlusOne(int requests, int accepts, double expected) {
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, () -> -1L);
    for (int i = 0; i < requests; i++) {
      throttle.countRequest(0);
    }
    for (int i = 0; i < accepts; i++) {
      throttle.recordAccepted(0);
    }
    assertThat(throttle.rejectionProbability(0)).isCloseTo(expected, Offset.offset(1e-12));
    assertThat(Math.max(0, (requests - 2.0 * accepts) / (requests + 1))).isCloseTo(expected, Offset.offset(1e-12));
  }

  @Test
  void admit_rejectsExactlyWhenTheDrawFallsBelowTheProbability() {
    // 10 requests, 0 accepts: p = 10/11 = 0.909...
    double[] draw = {0.0};
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, new java.util.random.RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return draw[0];
      }
    });
    for (int i = 0; i < 10; i++) {
      throttle.countRequest(0);
    }
    draw[0] = 0.909;
    assertThat(throttle.admit(0)).as("draw 0.909 < p 0.90909").isFalse();
    // now 11 requests: p = 11/12 = 0.91666
    draw[0] = 0.9167;
    assertThat(throttle.admit(0)).as("draw 0.9167 >= p 0.91666").isTrue();
  }

  @Test
  void rejectionFrequency_matchesTheFormula_againstABackendThatAcceptsThirtyPercent() {
    // Every step: the formula from our own independent counts, then one admit. The number of local rejections must
    // match the sum of the probabilities within 4 standard deviations (a martingale: E[reject_t] = p_t).
    Random backend = new Random(11);
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, new Random(12));
    long requests = 0;
    long accepts = 0;
    double sumP = 0;
    double variance = 0;
    int rejected = 0;
    for (int step = 0; step < 50_000; step++) {
      double p = Math.max(0, (requests - 2.0 * accepts) / (requests + 1));
      assertThat(throttle.rejectionProbability(0)).isCloseTo(p, Offset.offset(1e-9));
      sumP += p;
      variance += p * (1 - p);
      requests++;
      if (!throttle.admit(0)) {
        rejected++;
        continue;
      }
      if (backend.nextDouble() < 0.3) {
        accepts++;
        throttle.recordAccepted(0);
      }
    }
    System.out.printf("throttle vs backend accepting 30%%: rejected=%d, expected=%.1f, sd=%.1f, final p=%.4f%n",
        rejected, sumP, Math.sqrt(variance), throttle.rejectionProbability(0));
    assertThat(rejected).as("the throttle did reject").isPositive();
    assertThat((double) rejected).isCloseTo(sumP, Offset.offset(4 * Math.sqrt(variance)));
  }

  @Test
  void countsLeaveTheWindow_afterTwoMinutes() {
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, new Random(1));
    for (int i = 0; i < 100; i++) {
      throttle.countRequest(0);
    }
    assertThat(throttle.rejectionProbability(0)).isGreaterThan(0.9);
    assertThat(throttle.rejectionProbability(TimeUnit.SECONDS.toNanos(100))).as("still inside").isGreaterThan(0.9);

    long later = TimeUnit.SECONDS.toNanos(121);
    assertThat(throttle.requests(later)).isZero();
    assertThat(throttle.rejectionProbability(later)).isZero();
  }

  @Test
  void forgetRequest_takesBackARequestThatNeverReachedAServer() {
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, new Random(1));
    throttle.countRequest(0);
    throttle.countRequest(0);
    throttle.forgetRequest(0);
    assertThat(throttle.requests(0)).isEqualTo(1);
    throttle.forgetRequest(0);
    throttle.forgetRequest(0);
    assertThat(throttle.requests(0)).isZero();
  }

  @Test
  void forgetRequest_findsTheRequestInTheSlotWhereItWasCounted() {
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, new Random(1));
    throttle.countRequest(TimeUnit.SECONDS.toNanos(3));
    throttle.countRequest(TimeUnit.SECONDS.toNanos(25));

    // The attempt counted at 25 s waited for a connection until 35 s, two slots later.
    throttle.forgetRequest(TimeUnit.SECONDS.toNanos(35));
    throttle.forgetRequest(TimeUnit.SECONDS.toNanos(36));

    assertThat(throttle.requests(TimeUnit.SECONDS.toNanos(36))).isZero();
  }

  @Test
  void belowTheMinimumSent_neverRejects_andLocalRejectionsDoNotCountTowardsIt() {
    AdaptiveThrottle throttle = new AdaptiveThrottle(2, WINDOW, 12, 5, new Random(7));
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.admit(0)).as("request %d", i).isTrue();
    }
    assertThat(throttle.rejectionProbability(0)).as("4 sent, none accepted, still below 5").isZero();
    assertThat(throttle.admit(0)).isTrue();
    assertThat(throttle.sent(0)).isEqualTo(5);
    assertThat(throttle.rejectionProbability(0)).as("5 sent, none accepted: the formula").isCloseTo(5.0 / 6,
        Offset.offset(1e-12));

    int local = 0;
    for (int i = 0; i < 200; i++) {
      if (!throttle.admit(0)) {
        local++;
      }
    }
    assertThat(local).isPositive();
    assertThat(throttle.sent(0)).isEqualTo(205 - local);
    throttle.forgetRequest(0);
    assertThat(throttle.sent(0)).isEqualTo(204 - local);
    assertThatThrownBy(() -> new AdaptiveThrottle(2, WINDOW, 12, -1, new Random()))
        .hasMessageStartingWith("minSent: ");
  }

  @Test
  void invalidSettings_areRejected() {
    assertThatThrownBy(() -> new AdaptiveThrottle(0.5, WINDOW, 12, new Random())).hasMessageStartingWith("k: ");
    assertThatThrownBy(() -> new AdaptiveThrottle(2, Duration.ZERO, 12, new Random()))
        .hasMessageStartingWith("window: ");
    assertThatThrownBy(() -> new AdaptiveThrottle(2, WINDOW, 0, new Random())).hasMessageStartingWith("buckets: ");
  }
}
