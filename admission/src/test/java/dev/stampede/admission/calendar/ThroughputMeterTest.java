package dev.stampede.admission.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stampede.admission.FakeTicker;
import org.junit.jupiter.api.Test;

class ThroughputMeterTest {
  @Test
  void rate_countsCompletionsOfTheLastFullSecond() {
    FakeTicker ticker = new FakeTicker();
    ThroughputMeter meter = new ThroughputMeter();
    for (int ms = 0; ms < 2_000; ms++) {
      meter.record(ticker.getAsLong(), 1_000_000);
      meter.record(ticker.getAsLong(), 1_000_000);
      ticker.advanceMillis(1);
    }
    assertThat(meter.ratePerSecond(ticker.getAsLong())).isCloseTo(2_000, within(50.0));
    assertThat(meter.meanRttNanos()).isCloseTo(1_000_000, within(1.0));

    ticker.advanceMillis(1_500);
    assertThat(meter.ratePerSecond(ticker.getAsLong())).isZero();
  }

  @Test
  void recentRtt_forgetsTheColdStartAfterASecond_whileTheRunningMeanStillRemembersIt() {
    FakeTicker ticker = new FakeTicker();
    ThroughputMeter meter = new ThroughputMeter();
    assertThat(meter.recentRttNanos(ticker.getAsLong())).isZero();
    // A pod that just started: its first resume takes 1.5 s (cold code, new Redis connection), the next ones 2 ms.
    meter.record(ticker.getAsLong(), 1_500_000_000L);
    assertThat(meter.recentRttNanos(ticker.getAsLong())).isEqualTo(1.5e9);
    ticker.advanceMillis(1_100);
    for (int i = 0; i < 20; i++) {
      meter.record(ticker.getAsLong(), 2_000_000);
      ticker.advanceMillis(10);
    }

    assertThat(meter.recentRttNanos(ticker.getAsLong())).isEqualTo(2_000_000.0);
    assertThat(meter.meanRttNanos()).as("the running mean").isGreaterThan(500_000_000.0);
    ticker.advanceMillis(5_000);
    assertThat(meter.recentRttNanos(ticker.getAsLong())).as("idle: the running mean")
        .isEqualTo(meter.meanRttNanos());
  }
}
