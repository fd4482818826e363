package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.chaos.timeline.RpcSecond;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.TimelineSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final StringWriter out = new StringWriter();

  private static TimelineSample sample(double startS) {
    return new TimelineSample(startS, "storm", 812, 700,
        Map.of(Rpc.RESUME, new RpcSecond(95, 90, 3, 2, 1, 1, 4.0, 12.4)), Map.of());
  }

  @Test
  void format_showsPhaseTimeOnlineRatesAndTimeLeft() {
    ProgressLine p = new ProgressLine(new PrintWriter(out), false, 1000, () -> 30, () -> 40.4, 5);

    assertThat(p.format(sample(41)))
        .isEqualTo("[storm       t0   +12s] online 812/1000 (81.2%) | auth 95/s ok 90 rej 3 err 2 | p99 12ms"
            + " | 40s left");
  }

  @Test
  void populationNotChosenYet_showsTheOnlineCountAlone_thenTheShareOnceChosen() {
    ProgressLine p = new ProgressLine(new PrintWriter(out), false, 0, () -> Double.NaN, () -> Double.NaN, 5);

    assertThat(p.format(sample(3))).contains("] online 812 (N not chosen yet) | auth");
    p.population(900);
    assertThat(p.format(sample(4))).contains("] online 812/900 (90.2%) | auth");
  }

  @Test
  void notInteractive_printsEveryFewSeconds() {
    ProgressLine p = new ProgressLine(new PrintWriter(out), false, 1000, () -> Double.NaN, () -> Double.NaN, 5);
    for (int i = 0; i < 12; i++) {
      p.accept(sample(i));
    }

    assertThat(out.toString().lines()).hasSize(2);
    assertThat(out.toString()).doesNotContain("\r");
  }

  @Test
  void interactive_rewritesTheLine() {
    ProgressLine p = new ProgressLine(new PrintWriter(out), true, 1000, () -> Double.NaN, () -> Double.NaN, 5);
    p.accept(sample(0));
    p.accept(sample(1));
    p.finish();

    assertThat(out.toString()).startsWith("\r[storm").contains("\r[storm").endsWith(System.lineSeparator());
  }
}
