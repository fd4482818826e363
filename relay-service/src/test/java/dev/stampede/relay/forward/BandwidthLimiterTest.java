package dev.stampede.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void underBudget_admitsWithoutParking() {
    BandwidthLimiter limiter = new BandwidthLimiter(10_000_000, clock, clock);
    limiter.consume(500_000);
    assertThat(limiter.admit(() -> { })).isTrue();
    assertThat(limiter.isSaturated()).isFalse();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void inDebt_parksEachWakerOnce_andWakesThemWhenRefilled() {
    BandwidthLimiter limiter = new BandwidthLimiter(10_000_000, clock, clock);
    limiter.consume(1_500_000); // burst is 1 MB: 0.5 MB in debt
    int[] woken = new int[2];
    Runnable a = () -> woken[0]++;
    Runnable b = () -> woken[1]++;
    assertThat(limiter.admit(a)).isFalse();
    assertThat(limiter.admit(a)).isFalse();
    assertThat(limiter.admit(b)).isFalse();
    assertThat(clock.pendingTasks()).isEqualTo(1);
    clock.forwardNanos(40_000_000L); // 0.4 MB refilled: still in debt
    assertThat(woken).containsExactly(0, 0);
    clock.forwardNanos(20_000_000L);
    assertThat(woken).containsExactly(1, 1);
    assertThat(limiter.admit(a)).isTrue();
  }

  @Test
  void saturation_isRememberedForOneSecond() {
    BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock, clock);
    limiter.consume(2_000_000);
    assertThat(limiter.isSaturated()).isTrue();
    clock.forwardNanos(999_000_000L);
    assertThat(limiter.isSaturated()).isTrue();
    clock.forwardNanos(2_000_000_000L);
    assertThat(limiter.isSaturated()).isFalse();
  }

  @Test
  void sustainedRate_matchesTheLimit() {
    long rate = 5_000_000;
    BandwidthLimiter limiter = new BandwidthLimiter(rate, clock, clock);
    long sent = 0;
    // A sender that sends a 64 KiB frame whenever admitted, for ten simulated seconds.
    for (int ms = 0; ms < 10_000; ms++) {
      while (limiter.admit(() -> { })) {
        limiter.consume(65_536);
        sent += 65_536;
      }
      clock.forwardNanos(1_000_000L);
    }
    long burst = rate / 10;
    assertThat(sent).isBetween(10 * rate, 10 * rate + burst + 65_536);
  }

  @Test
  void nonPositiveRate_isRefused() {
    assertThatThrownBy(() -> new BandwidthLimiter(0, clock, clock))
        .hasMessageContaining("bytesPerSecond: 0 (expected: > 0)");
  }
}
