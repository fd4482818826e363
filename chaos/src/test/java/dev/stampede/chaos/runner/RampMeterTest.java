package dev.stampede.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The ramp's own measurement of C, on a fake clock: observations every 100 ms of a ramp at given rates. */
class RampMeterTest {
  private static final long SECOND = 1_000_000_000L;
  // N = 22 x C, like the quick demo.
  private RampSizing sizing(Duration maxWarmup) {
    return new RampSizing(Duration.ofSeconds(10), Duration.ofSeconds(5), maxWarmup, c -> (int) Math.ceil(22 * c),
        (c, n) -> { });
  }

  /** Feeds a ramp whose rate is {@code rate[s]} clients per second in second s, until the meter decides. */
  private static double[] feed(RampMeter meter, double... rate) {
    double online = 0;
    long t = 0;
    for (int s = 0; s < rate.length && !meter.decided(); s++) {
      for (int tick = 0; tick < 10 && !meter.decided(); tick++) {
        online += rate[s] / 10;
        t += SECOND / 10;
        meter.observe(t, (int) Math.round(online));
      }
    }
    return new double[] {t / (double) SECOND, online};
  }

  /** A ramp's rate in each of {@code seconds} seconds. */
  private static double[] rates(int seconds, IntToDoubleFunction perSecond) {
    double[] r = new double[seconds];
    for (int s = 0; s < seconds; s++) {
      r[s] = perSecond.applyAsDouble(s);
    }
    return r;
  }

  @Test
  void steadyRamp_decidesAfterTwoWindowsPastTheWarmUp_withItsRate() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(30)), 0);

    double[] at = feed(meter, rates(60, s -> 40));

    assertThat(meter.decided()).isTrue();
    assertThat(at[0]).isCloseTo(20.0, within(0.2));
    assertThat(meter.capacity().getAsDouble()).isCloseTo(40, within(0.5));
    assertThat(meter.cap()).isEqualTo((int) Math.ceil(22 * meter.capacity().getAsDouble()));
  }

  @Test
  void windowSlowerThanTheOneBefore_endsTheMeasurement_withTheFasterWindowsRate() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(30)), 0);
    // A warm stack and a moment's noise: 38/s, then 33/s.
    double[] rate = rates(60, s -> s < 15 ? 38 : 33);

    double[] at = feed(meter, rate);

    assertThat(at[0]).isCloseTo(20.0, within(0.2));
    assertThat(meter.capacity().getAsDouble()).isCloseTo(38, within(0.5));
    assertThat(meter.cap()).isEqualTo((int) Math.ceil(22 * meter.capacity().getAsDouble()));
  }

  @Test
  void warmingRamp_goesOnWhileTheRateGrowsMoreThan8PerCent() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(30)), 0);
    // 20/s, 26/s in [15 s, 20 s), 34/s in [20 s, 25 s), then 36/s: steady from the window ending at 30 s.
    double[] rate = rates(60, s -> s < 15 ? 20 : s < 20 ? 26 : s < 25 ? 34 : 36);

    double[] at = feed(meter, rate);

    assertThat(at[0]).isCloseTo(30.0, within(0.2));
    assertThat(meter.capacity().getAsDouble()).isCloseTo(36, within(0.5));
  }

  @Test
  void rateStillGrowingAtTheLongestWarmUp_decidesWithTheWindowThatStartedThere() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(15)), 0);
    double[] rate = rates(60, s -> 10 + 2 * s);

    double[] at = feed(meter, rate);

    // Windows start at 10 s and 15 s; the one starting at 15 s is the last.
    assertThat(at[0]).isCloseTo(20.0, within(0.2));
    assertThat(meter.capacity().getAsDouble()).isCloseTo(10 + 2 * 17, within(1.0));
  }

  @Test
  void cap_isUnboundedBeforeTheFirstWindow_thenFollowsTheFastestWindow() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(30)), 0);

    feed(meter, rates(14, s -> 30));
    assertThat(meter.cap()).isEqualTo(Integer.MAX_VALUE);
    assertThat(meter.decideAtCap()).isFalse();

    RampMeter next = new RampMeter(sizing(Duration.ofSeconds(30)), 0);
    feed(next, rates(16, s -> 30));
    assertThat(next.decided()).isFalse();
    assertThat(next.cap()).isEqualTo(22 * 30);
  }

  @Test
  void rampAtTheCap_decidesWithTheWindowsMeasured() {
    RampMeter meter = new RampMeter(sizing(Duration.ofSeconds(30)), 0);
    double[] rate = rates(16, s -> s < 10 ? 10 : 30);
    feed(meter, rate);
    assertThat(meter.decided()).isFalse();

    assertThat(meter.decideAtCap()).isTrue();

    assertThat(meter.capacity().getAsDouble()).isCloseTo(30, within(0.5));
  }

  @Test
  void observationsBeforeTheWarmUpEnds_doNotCount() {
    RampMeter meter = new RampMeter(sizing(Duration.ZERO), 0);
    // A burst in the warm-up must not show in the first window's rate.
    double[] rate = rates(20, s -> s < 10 ? 500 : 25);

    feed(meter, rate);

    assertThat(meter.decided()).isTrue();
    assertThat(meter.capacity().getAsDouble()).isCloseTo(25, within(0.5));
  }

  @Test
  void steady_whenAWindowGrowsNoMoreThan8PercentOverThePrevious() {
    assertThat(RampMeter.steady(Double.NaN, 30)).isFalse();
    assertThat(RampMeter.steady(20, 30)).isFalse();
    assertThat(RampMeter.steady(30, 32.3)).isTrue();
    assertThat(RampMeter.steady(30, 25)).isTrue();
    assertThat(RampMeter.steady(30, 32.5)).isFalse();
  }

  @Test
  void sizing_rejectsAnEmptyWindow() {
    assertThatThrownBy(() -> new RampSizing(Duration.ZERO, Duration.ZERO, Duration.ZERO, c -> 1, (c, n) -> { }))
        .hasMessageContaining("window");
    assertThatThrownBy(() -> new RampSizing(Duration.ofSeconds(-1), Duration.ofSeconds(1), Duration.ZERO, c -> 1,
        (c, n) -> { })).hasMessageContaining("warmup");
  }
}
