package dev.stampede.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.bench.cpu.ProcessCpu;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void settling_endsAtTheFirstQuietStep() {
    JitWarmup.Settling s = new JitWarmup.Settling(60 * SECOND);

    assertThat(s.step(SECOND, 2 * SECOND)).isFalse(); // compilers at half a core
    assertThat(s.step(SECOND / 5, 2 * SECOND)).isFalse(); // 10 %
    assertThat(s.step(SECOND / 20, 2 * SECOND)).isTrue(); // 2.5 %

    JitWarmup.Result r = s.result();
    assertThat(r.quiet()).isTrue();
    assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(6));
    assertThat(r.seconds()).isEqualTo(6.0);
    assertThat(r.compilerShare()).isEqualTo(0.025);
    assertThat(r.describe()).contains("6 s", "compilers quiet", "3 %");
  }

  @Test
  void settling_givesUpAtTheMaximum_andSaysSo() {
    JitWarmup.Settling s = new JitWarmup.Settling(5 * SECOND);

    assertThat(s.step(SECOND, 2 * SECOND)).isFalse();
    assertThat(s.step(SECOND, 2 * SECOND)).isFalse();
    assertThat(s.step(SECOND, 2 * SECOND)).isTrue();
    assertThat(s.result().quiet()).isFalse();
    assertThat(s.result().describe()).contains("still busy", "50 %");
  }

  @Test
  void run_withoutAMaximum_appliesNoLoad() {
    AtomicInteger steps = new AtomicInteger();

    JitWarmup.Result r = JitWarmup.run(ProcessCpu.self(), Duration.ZERO, step -> steps.incrementAndGet());

    assertThat(steps).hasValue(0);
    assertThat(r.elapsed()).isZero();
    assertThat(r.describe()).isEqualTo("no JIT warm-up");
  }

  @Test
  void run_onAQuietProcess_endsOnceTheCompilersAreQuiet() {
    AtomicInteger steps = new AtomicInteger();

    // This test JVM compiles little while the "load" only sleeps; the step's wall time is real.
    JitWarmup.Result r = JitWarmup.run(ProcessCpu.self(), Duration.ofSeconds(30), step -> {
      steps.incrementAndGet();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    assertThat(r.quiet()).isTrue();
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30)).isGreaterThanOrEqualTo(Duration.ofMillis(200L * steps.get()));
  }
}
