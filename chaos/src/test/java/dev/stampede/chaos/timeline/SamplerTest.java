package dev.stampede.chaos.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private final StormRecorder recorder = new StormRecorder(10, 0);
  private String phase = "ramp";
  private final Sampler sampler = new Sampler(recorder, null, () -> phase, () -> 0);

  @Test
  void sample_countsTheLastSecond() {
    for (int i = 0; i < 10; i++) {
      recorder.attempt(Rpc.LOGIN, 100 * MS * i);
      recorder.result(Rpc.LOGIN, i < 6 ? Outcome.SUCCESS : Outcome.TIMEOUT, 100 * MS * i, 100 * MS * i + 50 * MS);
    }
    recorder.result(Rpc.LOGIN, Outcome.REJECTED, 0, S + 10 * MS); // in the next second
    recorder.online().online(3, 500 * MS);

    TimelineSample s = sampler.sample(S);

    assertThat(s.startS()).isZero();
    assertThat(s.phase()).isEqualTo("ramp");
    assertThat(s.online()).isEqualTo(1);
    RpcSecond login = s.rpc(Rpc.LOGIN);
    assertThat(login.attempts()).isEqualTo(10);
    assertThat(login.successes()).isEqualTo(6);
    assertThat(login.timeouts()).isEqualTo(4);
    assertThat(login.errors()).isEqualTo(4);
    assertThat(login.rejected()).isZero();
    assertThat(login.p50Ms()).isBetween(49.0, 51.0);
    assertThat(s.rpc(Rpc.RESUME)).isEqualTo(RpcSecond.EMPTY);
    assertThat(s.authAttempts()).isEqualTo(10);

    phase = "storm";
    TimelineSample next = sampler.sample(2 * S);
    assertThat(next.startS()).isEqualTo(1.0);
    assertThat(next.rpc(Rpc.LOGIN).rejected()).isEqualTo(1);
    assertThat(next.rpc(Rpc.LOGIN).p50Ms()).isNull();
    assertThat(sampler.samples()).hasSize(2);
  }

  @Test
  void percentilesSinceTrigger_coverTheRecoveryInterval() {
    sampler.sample(S);
    recorder.online().trigger(S);
    for (int i = 1; i <= 100; i++) {
      recorder.result(Rpc.RESUME, Outcome.SUCCESS, S, S + i * MS);
    }
    sampler.sample(2 * S);
    recorder.result(Rpc.RESUME, Outcome.SUCCESS, 2 * S, 2 * S + 5 * S);
    sampler.sample(3 * S);

    double[] untilSecondTwo = sampler.percentilesSinceTrigger(Rpc.RESUME, 2 * S).orElseThrow();
    assertThat(untilSecondTwo[0]).isBetween(49.0, 51.0);
    assertThat(untilSecondTwo[1]).isBetween(98.0, 100.0);
    double[] untilSecondThree = sampler.percentilesSinceTrigger(Rpc.RESUME, 3 * S).orElseThrow();
    assertThat(untilSecondThree[1]).isGreaterThanOrEqualTo(99.0);
    assertThat(sampler.percentilesSinceTrigger(Rpc.LOGIN, 3 * S)).isEmpty();
  }

  @Test
  void listeners_seeEverySample() {
    List<TimelineSample> seen = new ArrayList<>();
    sampler.subscribe(seen::add);
    sampler.subscribe(s -> {
      throw new IllegalStateException("a broken listener");
    });

    sampler.sample(S);
    sampler.sample(2 * S);

    assertThat(seen).hasSize(2);
  }
}
