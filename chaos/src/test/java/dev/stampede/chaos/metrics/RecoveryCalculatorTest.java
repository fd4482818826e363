package dev.stampede.chaos.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.chaos.timeline.BucketCounters;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RecoveryCalculatorTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 100 * S;
  private static final int ATTEMPT = 0;
  private static final int SUCCESS = 1;

  private final BucketCounters counters = new BucketCounters(2, 0);
  private final RecoveryCalculator calculator = new RecoveryCalculator();
  private final RecoveryCalculator.AuthCounts counts = new RecoveryCalculator.AuthCounts() {
    @Override
    public double attempts(long from, long to) {
      return counters.sum(ATTEMPT, from, to);
    }

    @Override
    public double successes(long from, long to) {
      return counters.sum(SUCCESS, from, to);
    }
  };

  /** n events spread evenly over [from, to). */
  private void spread(int series, long from, long to, int n) {
    for (int i = 0; i < n; i++) {
      counters.increment(series, from + (to - from) * i / n);
    }
  }

  @Test
  void bound_isMaxOfWindowAndReadyPlusNOverC() {
    assertThat(Recovery.bound(10, 6, 1000, 100)).isEqualTo(20.0);
    assertThat(Recovery.bound(5, 8, 1000, 100)).isEqualTo(18.0);
    assertThat(Recovery.bound(0, 0, 50, 25)).isEqualTo(2.0);
    assertThatThrownBy(() -> Recovery.bound(1, 1, 1, 0)).hasMessageContaining("capacityPerS");
  }

  @Test
  void protectedRun_recoveredNearTheBound() {
    // N = 1000, W = 10 s, t_ready = 6 s, C = 100/s: bound = 20 s. Every client resumes once, evenly from
    // t_ready to T99 = 22 s (R = 1.1), plus 100 attempts rejected with pushback along the way.
    spread(ATTEMPT, T0 + 6 * S, T0 + 22 * S, 1100);
    spread(SUCCESS, T0 + 6 * S, T0 + 22 * S, 1000);
    // Steady-state traffic before t0 and after T99 is not part of recovery.
    spread(ATTEMPT, T0 - 50 * S, T0, 500);
    spread(ATTEMPT, T0 + 22 * S, T0 + 40 * S, 300);

    Recovery r = calculator.compute(new RecoveryCalculator.Facts(1000, T0, 10, 6, 100,
        OptionalLong.of(T0 + 22 * S), T0 + 100 * S), counts);

    assertThat(r.boundS()).isEqualTo(20.0);
    assertThat(r.recovered()).isTrue();
    assertThat(r.t99S()).isEqualTo(22.0);
    assertThat(r.recoveryRatio()).isCloseTo(1.1, within(1e-9));
    assertThat(r.attemptsPerClient()).isCloseTo(1.1, within(0.01));
    // 1000 successes over the 16 s from t_ready to T99, against C = 100/s.
    assertThat(r.goodputRatioDuringStorm()).isCloseTo(1000 / 16.0 / 100, within(0.01));
    assertThat(r.observedS()).isEqualTo(100.0);
  }

  @Test
  void metastableRun_notRecovered_measuresToTheEndOfTheWindow() {
    // skype2007 clients: every client tries every 11 s for the whole 200 s window, nothing succeeds.
    spread(ATTEMPT, T0, T0 + 200 * S, 1000 * 200 / 11);

    Recovery r = calculator.compute(new RecoveryCalculator.Facts(1000, T0, 5, 7, 25, OptionalLong.empty(),
        T0 + 200 * S), counts);

    assertThat(r.recovered()).isFalse();
    assertThat(r.t99S()).isNull();
    assertThat(r.recoveryRatio()).isNull();
    assertThat(r.boundS()).isEqualTo(47.0);
    assertThat(r.attemptsPerClient()).isCloseTo(200 / 11.0, within(0.01));
    assertThat(r.goodputRatioDuringStorm()).isZero();
  }

  @Test
  void t99AfterTheWindow_isNotRecovered() {
    Recovery r = calculator.compute(new RecoveryCalculator.Facts(10, T0, 1, 1, 1, OptionalLong.of(T0 + 60 * S),
        T0 + 50 * S), counts);

    assertThat(r.recovered()).isFalse();
    assertThat(r.recoveryRatio()).isNull();
  }

  @Test
  void goodput_isUndefinedWhenRecoveryEndsBeforeTheServicesAreReady() {
    spread(ATTEMPT, T0, T0 + S, 10);

    Recovery r = calculator.compute(new RecoveryCalculator.Facts(10, T0, 1, 3, 100, OptionalLong.of(T0 + 2 * S),
        T0 + 30 * S), counts);

    assertThat(r.goodputRatioDuringStorm()).isNull();
    assertThat(r.recoveryRatio()).isCloseTo(2 / 3.1, within(1e-9));
    assertThat(r.attemptsPerClient()).isEqualTo(1.0);
  }

  @Test
  void intervalsCutThroughBuckets_countInProportion() {
    counters.add(ATTEMPT, T0, 10); // ten events in the bucket [T0, T0 + 100 ms)

    assertThat(counters.sum(ATTEMPT, T0 + 50_000_000, T0 + 100_000_000)).isEqualTo(5.0);
    assertThat(counters.sum(ATTEMPT, T0, T0 + S)).isEqualTo(10.0);
    assertThat(counters.sum(ATTEMPT, T0 + S, T0)).isZero();
  }

  @Test
  void facts_refuseAWindowEndingBeforeT0() {
    assertThatThrownBy(() -> new RecoveryCalculator.Facts(1, T0, 1, 1, 1, OptionalLong.empty(), T0 - 1))
        .hasMessageContaining("endNanos");
    assertThatThrownBy(() -> new RecoveryCalculator.Facts(0, T0, 1, 1, 1, OptionalLong.empty(), T0))
        .hasMessageContaining("clients");
  }
}
