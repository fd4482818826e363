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
}
