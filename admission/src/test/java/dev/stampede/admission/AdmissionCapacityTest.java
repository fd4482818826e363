package dev.stampede.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.calendar.ThroughputMeter;
import org.junit.jupiter.api.Test;

class AdmissionCapacityTest {

  @Test
  void capacity_ofAServerHeldBackBelowItsLimit_isWhatItsLimitAllowsAtItsLatency() {
    // 30 completions/s let through by the calendar, 20 in flight allowed at 2 ms each: 10 000/s.
    assertThat(Admission.capacity(30, 2_000_000, 20)).isEqualTo(10_000.0);
  }

  @Test
  void capacity_whenCompletionsExceedLittlesLaw_isTheMeasuredRate() {
    assertThat(Admission.capacity(500, 100_000_000, 20)).isEqualTo(500.0);
  }

  @Test
  void calendarLatency_ofAProcessWarmingUp_isNoSlowerThan100Ms_thenWhatItMeasures() {
    ThroughputMeter meter = new ThroughputMeter();
    long now = 0;
    assertThat(Admission.calendarLatency(meter, now)).isZero();
    // Cold: the first calls of a restarted pod take 1.2 s each.
    for (int i = 0; i < 20; i++) {
      meter.record(now, 1_200_000_000L);
    }
    assertThat(Admission.calendarLatency(meter, now)).isEqualTo(Admission.UNMEASURED_LATENCY_NANOS);
    assertThat(Admission.capacity(0, Admission.calendarLatency(meter, now), 20)).isEqualTo(200.0);
    // After the warm-up, a slow server is taken at its word.
    for (long i = 20; i < Admission.WARM_UP_COMPLETIONS; i++) {
      meter.record(now, 1_200_000_000L);
    }
    assertThat(Admission.calendarLatency(meter, now)).isEqualTo(1.2e9);
  }

  @Test
  void capacity_beforeTheFirstCompletion_assumesEachPermitTurnsOverEvery100Ms() {
    // A pod just started, refusing its first burst: 20 permits at an assumed 100 ms = 200/s, not the minimum rate.
    assertThat(Admission.capacity(0, 0, 20)).isEqualTo(200.0);
    assertThat(Admission.capacity(0, 0, 1)).isEqualTo(10.0);
  }
}
