package dev.stampede.admission.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.admission.Priority;
import org.junit.jupiter.api.Test;

class PrioritySharesTest {
  private static final PriorityShares DEFAULTS = PriorityShares.DEFAULT;

  @Test
  void critical_isAdmittedWheneverTheLimitHasRoom() {
    assertThat(DEFAULTS.canAdmit(Priority.CRITICAL, 10, 9, new int[] {0, 0, 0, 9})).isTrue();
    assertThat(DEFAULTS.canAdmit(Priority.CRITICAL, 10, 10, new int[] {0, 0, 0, 10})).isFalse();
  }

  @Test
  void sheddable_leavesTheUnusedReservationsOfHigherClassesFree() {
    // L = 10: CRITICAL 1 slot, RESUME 2, LOGIN 1 reserved -> SHEDDABLE may use 6.
    assertThat(DEFAULTS.canAdmit(Priority.SHEDDABLE, 10, 5, new int[] {0, 0, 0, 5})).isTrue();
    assertThat(DEFAULTS.canAdmit(Priority.SHEDDABLE, 10, 6, new int[] {0, 0, 0, 6})).isFalse();
    // Reservations in use are no longer headroom.
    assertThat(DEFAULTS.canAdmit(Priority.SHEDDABLE, 10, 7, new int[] {1, 0, 0, 6})).isFalse();
    assertThat(DEFAULTS.canAdmit(Priority.SHEDDABLE, 10, 8, new int[] {1, 2, 0, 5})).isTrue();
  }

  @Test
  void admission_isMonotoneInPriority() {
    for (int limit = 1; limit <= 30; limit++) {
      for (int inflight = 0; inflight <= limit; inflight++) {
        int[] by = {0, 0, 0, inflight};
        boolean lowerFits = false;
        for (int p = Priority.values().length - 1; p >= 0; p--) {
          boolean fits = DEFAULTS.canAdmit(Priority.ofOrdinal(p), limit, inflight, by);
          // If a less important class fits, every more important one does.
          assertThat(!lowerFits || fits).as("limit %d inflight %d priority %d", limit, inflight, p).isTrue();
          lowerFits = fits;
        }
      }
    }
  }

  @Test
  void tinyLimits_stillGiveEveryClassOneSlotWhenHigherOnesAreIdle() {
    assertThat(DEFAULTS.canAdmit(Priority.SHEDDABLE, 1, 0, new int[4])).isTrue();
    assertThat(DEFAULTS.canAdmit(Priority.LOGIN, 2, 0, new int[4])).isTrue();
    assertThat(DEFAULTS.canAdmit(Priority.LOGIN, 2, 1, new int[] {0, 0, 1, 0})).isFalse();
    assertThat(DEFAULTS.canAdmit(Priority.CRITICAL, 2, 1, new int[] {0, 0, 1, 0})).isTrue();
  }

  @Test
  void shares_areValidated() {
    assertThatThrownBy(() -> PriorityShares.of(0.6, 0.6, 0, 0)).hasMessageContaining("expected: <= 1.0");
    assertThatThrownBy(() -> PriorityShares.of(-0.1, 0, 0, 0)).hasMessageContaining("critical.reserved-share");
  }

  @Test
  void maxInflight_refusesItsClassAtTheCap_whateverTheLimit_andNoOtherClass() {
    PriorityShares capped = DEFAULTS.withMaxInflight(Priority.LOGIN, 2);

    assertThat(capped.canAdmit(Priority.LOGIN, 100, 1, new int[] {0, 0, 1, 0})).isTrue();
    assertThat(capped.canAdmit(Priority.LOGIN, 100, 2, new int[] {0, 0, 2, 0})).isFalse();
    assertThat(capped.atCap(Priority.LOGIN, new int[] {0, 0, 2, 0})).isTrue();
    assertThat(capped.canAdmit(Priority.SHEDDABLE, 100, 2, new int[] {0, 0, 2, 0})).isTrue();
    assertThat(capped.maxInflight(Priority.LOGIN)).isEqualTo(2);
    assertThat(capped.maxInflight(Priority.RESUME)).isZero();
    // The reserved shares are unchanged, and the defaults stay uncapped.
    assertThat(capped.share(Priority.RESUME)).isEqualTo(DEFAULTS.share(Priority.RESUME));
    assertThat(DEFAULTS.atCap(Priority.LOGIN, new int[] {0, 0, 1000, 0})).isFalse();
    assertThat(capped.withMaxInflight(Priority.LOGIN, 0).atCap(Priority.LOGIN, new int[] {0, 0, 1000, 0})).isFalse();
    // A reservation larger than the cap keeps free only the slots the capped class could use: LOGIN reserves
    // 50 % of 20 = 10 slots, but with a cap of 2 only 2 stay free for it.
    PriorityShares big = PriorityShares.of(0, 0, 0.5, 0).withMaxInflight(Priority.LOGIN, 2);
    assertThat(big.reservedSlots(Priority.LOGIN, 20)).isEqualTo(2);
    assertThat(big.canAdmit(Priority.SHEDDABLE, 20, 17, new int[] {0, 0, 0, 17})).isTrue();
    assertThat(big.canAdmit(Priority.SHEDDABLE, 20, 18, new int[] {0, 0, 0, 18})).isFalse();
    assertThatThrownBy(() -> DEFAULTS.withMaxInflight(Priority.LOGIN, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("login.max-inflight: -1");
  }
}
