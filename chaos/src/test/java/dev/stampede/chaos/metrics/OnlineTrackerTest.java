package dev.stampede.chaos.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OnlineTrackerTest {
  private static final long S = 1_000_000_000L;

  private static OnlineTracker steady(int population) {
    OnlineTracker t = new OnlineTracker(population);
    for (int c = 0; c < population; c++) {
      t.online(c, 0);
      t.scheduleReboot(c);
    }
    return t;
  }

  @Test
  void target_isCeilingOf99Percent() {
    assertThat(new OnlineTracker(100).target()).isEqualTo(99);
    assertThat(new OnlineTracker(1000).target()).isEqualTo(990);
    assertThat(new OnlineTracker(150).target()).isEqualTo(149);
    assertThat(new OnlineTracker(1).target()).isEqualTo(1);
  }

  @Test
  void limit_shrinksThePopulationAndTheTarget_beforeTheStorm() {
    OnlineTracker t = new OnlineTracker(5000);
    for (int c = 0; c < 400; c++) {
      t.online(c, 0);
    }

    t.limit(400);
    for (int c = 0; c < 400; c++) {
      t.scheduleReboot(c);
    }
    t.trigger(S);
    for (int c = 0; c < 396; c++) {
      t.reboot(c, S);
      t.online(c, 2 * S);
    }

    assertThat(t.population()).isEqualTo(400);
    assertThat(t.target()).isEqualTo(396);
    assertThat(t.t99()).hasValue(2 * S);
    assertThatThrownBy(() -> t.isOnline(400)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void limit_refusesToDropAClientThatIsOnline() {
    OnlineTracker t = new OnlineTracker(100);
    t.online(70, 0);

    assertThatThrownBy(() -> t.limit(50)).hasMessageContaining("client 70");
    assertThatThrownBy(() -> t.limit(101)).hasMessageContaining("expected: 1..100");
    assertThat(t.population()).isEqualTo(100);
  }

  @Test
  void clientsNotYetRebooted_doNotCountTowardsRecovery() {
    OnlineTracker t = steady(100);
    t.trigger(10 * S);

    assertThat(t.onlineCount()).isEqualTo(100);
    assertThat(t.recoveredOnline()).isZero();
    assertThat(t.t99()).isEmpty();
  }

  @Test
  void t99_isWhenThe99thClientIsBack() {
    OnlineTracker t = steady(100);
    t.trigger(10 * S);
    // Uniform reboot over 10 s: client c reboots at 10 s + c × 0.1 s and is back 2 s later.
    for (int c = 0; c < 100; c++) {
      t.reboot(c, 10 * S + c * S / 10);
    }
    for (int c = 0; c < 100; c++) {
      t.online(c, 12 * S + c * S / 10);
    }

    // The 99th client (index 98) was back at 12 s + 9.8 s.
    assertThat(t.t99()).hasValue(12 * S + 98 * S / 10);
    assertThat(t.recoveredOnline()).isEqualTo(100);
  }

  @Test
  void t99_keepsTheFirstCrossingWhenClientsFlapAfterwards() {
    OnlineTracker t = steady(100);
    t.trigger(0);
    for (int c = 0; c < 100; c++) {
      t.reboot(c, 0);
      t.online(c, 5 * S);
    }
    t.offline(3, 6 * S);
    t.offline(4, 6 * S);

    assertThat(t.t99()).hasValue(5 * S);
    assertThat(t.recoveredOnline()).isEqualTo(98);
    assertThat(t.onlineCount()).isEqualTo(98);
  }

  @Test
  void t99_isNeverBeforeTheTrigger() {
    OnlineTracker t = new OnlineTracker(10);
    for (int c = 0; c < 10; c++) {
      t.online(c, 0);
    }
    // Nobody is due to reboot: everyone counts, so recovery is immediate at t0.
    t.trigger(3 * S);

    assertThat(t.t99()).hasValue(3 * S);
  }

  @Test
  void offlineBeforeRecovery_needsToComeBackAgain() {
    OnlineTracker t = steady(100);
    t.trigger(0);
    for (int c = 0; c < 100; c++) {
      t.reboot(c, 0);
    }
    for (int c = 0; c < 98; c++) {
      t.online(c, S);
    }
    t.offline(0, 2 * S);
    t.online(98, 3 * S);
    assertThat(t.t99()).isEmpty();
    t.online(0, 4 * S);

    assertThat(t.t99()).hasValue(4 * S);
  }

  @Test
  void clientsOutsideTheStorm_countWhileOnline() {
    OnlineTracker t = new OnlineTracker(100);
    for (int c = 0; c < 100; c++) {
      t.online(c, 0);
    }
    for (int c = 0; c < 50; c++) {
      t.scheduleReboot(c);
    }
    t.trigger(S);
    assertThat(t.recoveredOnline()).isEqualTo(50);
    for (int c = 0; c < 50; c++) {
      t.reboot(c, S);
    }
    for (int c = 0; c < 49; c++) {
      t.online(c, 2 * S);
    }

    assertThat(t.recoveredOnline()).isEqualTo(99);
    assertThat(t.t99()).hasValue(2 * S);
  }

  @Test
  void unknownClient_isRefused() {
    OnlineTracker t = new OnlineTracker(3);

    assertThatThrownBy(() -> t.online(3, 0)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("0..2");
  }
}
