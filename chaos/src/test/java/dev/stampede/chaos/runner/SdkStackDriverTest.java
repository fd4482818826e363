package dev.stampede.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.storm.FakeServices;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seeding and calibration through the SDK, against fake services on loopback. */
class SdkStackDriverTest {
  private final LoopbackDriver driver = new LoopbackDriver();

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void seed_createsEveryAccountInBatchesOfAtMostTenThousand_withTheAdminCredential() {
    driver.seed("p-", "pw-123456", 0, 25_000);

    assertThat(driver.services.seeded.get()).isEqualTo(25_000);
  }

  @Test
  void seed_fromAFirstIndex_seedsTheRangeInBatches() {
    driver.seed("p-", "pw-123456", 1000, 10_500);

    assertThat(driver.services.seedFirstIndexes).containsExactly(1000, 11_000);
    assertThat(driver.services.seeded.get()).isEqualTo(10_500);
  }

  @Test
  void seed_fromAFirstIndex_namesItInTheFailure() {
    driver.credential = "a-wrong-credential-value";

    assertThatThrownBy(() -> driver.seed("p-", "pw-123456", 1000, 10))
        .isInstanceOf(RunFailedException.class)
        .hasMessageStartingWith("seed: SeedAccounts of 10 accounts from index 1000 failed");
  }

  @Test
  void seed_refusedByAuth_failsTheRunNamingThePhase_withoutTheCredential() {
    driver.credential = "a-wrong-credential-value";

    assertThatThrownBy(() -> driver.seed("p-", "pw-123456", 0, 10))
        .isInstanceOf(RunFailedException.class)
        .hasMessageStartingWith("seed: SeedAccounts of 10 accounts from index 0 failed")
        .hasMessageContaining("PERMISSION_DENIED")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("a-wrong-credential-value"));
  }

  @Test
  void calibrate_resume_logsEachCalibrationClientInOnce_thenMeasuresResumes() throws Exception {
    double c = driver.calibrate(RecoveryMix.RESUME,
        new Calibration(Optional.empty(), Duration.ofMillis(200), Duration.ofSeconds(1), 4), "cal-", FakeServices.PASSWORD);

    assertThat(c).isPositive();
    assertThat(driver.services.seeded.get()).isEqualTo(4);
    assertThat(driver.services.logins.get()).isEqualTo(4);
    // Every measured recovery was a resume and a registration (plus the warm-up's and the preparation's).
    assertThat(driver.services.resumes.get()).isGreaterThanOrEqualTo((int) c);
    assertThat(driver.services.registers.get()).isGreaterThanOrEqualTo((int) c);
  }

  @Test
  void calibrate_withAPasswordAuthRefuses_failsAtOnceWithTheReason() {
    driver.services.refusePasswords = true;
    long start = System.nanoTime();

    assertThatThrownBy(() -> driver.calibrate(RecoveryMix.RESUME,
        new Calibration(Optional.empty(), Duration.ZERO, Duration.ofSeconds(1), 2), "cal-", "not-the-password"))
        .isInstanceOf(RunFailedException.class)
        .hasMessageStartingWith("calibration: ")
        .hasMessageContaining("UNAUTHENTICATED")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(20).toNanos());
  }

  @Test
  void calibrate_login_waitsTheServersPushback_beforeTryingAgain() throws Exception {
    driver.services.refuseLogins.set(1_000_000);
    driver.services.pushbackMillis = 400;

    assertThatThrownBy(() -> driver.calibrate(RecoveryMix.LOGIN,
        new Calibration(Optional.empty(), Duration.ZERO, Duration.ofMillis(1000), 2), "cal-", FakeServices.PASSWORD))
        .isInstanceOf(RunFailedException.class)
        .hasMessage("calibration: no login + register completed; last failure: Login: RESOURCE_EXHAUSTED (overloaded)");
    // 2 clients, each at most one log-in per 400 ms over ~1 s (plus scheduling slack).
    assertThat(driver.services.logins.get()).isBetween(2, 10);
  }
}
