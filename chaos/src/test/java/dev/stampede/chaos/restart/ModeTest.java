package dev.stampede.chaos.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModeTest {
  final Random random = new Random(1);

  @Test
  void counts_followChaosMesh() {
    assertThat(new Mode.One().count(5, random)).isEqualTo(1);
    assertThat(new Mode.All().count(5, random)).isEqualTo(5);
    assertThat(new Mode.Fixed(3).count(5, random)).isEqualTo(3);
    assertThat(new Mode.Fixed(9).count(5, random)).isEqualTo(5);
    assertThat(new Mode.FixedPercent(50).count(5, random)).isEqualTo(2);
    assertThat(new Mode.FixedPercent(100).count(5, random)).isEqualTo(5);
    assertThat(new Mode.FixedPercent(19).count(5, random)).isZero();
  }

  @Test
  void randomMaxPercent_staysWithinTheMaximum_andCoversZeroToMax() {
    Mode m = new Mode.RandomMaxPercent(50);
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    for (int i = 0; i < 2000; i++) {
      seen.add(m.count(10, random));
    }
    assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void waves_roundTheWaveUp() {
    Mode.Waves w = new Mode.Waves(0.25, Duration.ofSeconds(10), false);
    assertThat(w.waveSize(8)).isEqualTo(2);
    assertThat(w.waveSize(9)).isEqualTo(3);
    assertThat(w.waveSize(1)).isEqualTo(1);
    assertThat(new Mode.Waves(0.1, Duration.ZERO, false).waveSize(30)).isEqualTo(3);
  }

  @Test
  void invalidValues_areRefused_namingTheField() {
    assertThatThrownBy(() -> new Mode.Fixed(0)).hasMessage("value: 0 (expected: >= 1 for mode fixed)");
    assertThatThrownBy(() -> new Mode.FixedPercent(101)).hasMessageStartingWith("value: 101");
    assertThatThrownBy(() -> new Mode.RandomMaxPercent(0)).hasMessageStartingWith("value: 0");
    assertThatThrownBy(() -> new Mode.Waves(0, Duration.ofSeconds(1), false)).hasMessageStartingWith("fraction: 0");
    assertThatThrownBy(() -> new Mode.Waves(1.5, Duration.ofSeconds(1), false)).hasMessageStartingWith("fraction:");
    assertThatThrownBy(() -> new Mode.Waves(0.5, Duration.ofSeconds(-1), false)).hasMessageStartingWith("interval:");
  }
}
