package dev.stampede.chaos.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoPlanTest {

  @Test
  void default_offersAtLeastTwiceTheLogInCapacity_withinTenMinutes() {
    DemoPlan p = DemoPlan.choose(DemoPlan.DEFAULT, 25, 0);

    assertThat(p.offeredMultiple()).isGreaterThanOrEqualTo(2.5);
    assertThat(p.offeredPerSecond()).isGreaterThanOrEqualTo(2 * 25);
    assertThat(p.clients()).isEqualTo((int) Math.ceil(p.offeredMultiple() * 11 * 25 - 1e-9));
    assertThat(p.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.estimatedSlow()).isLessThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(p.unprotectedWindow()).isCloseTo(5 * p.unprotectedBound(), within(1e-9));
    assertThat(p.warnings()).isEmpty();
  }

  @Test
  void quick_staysAtTheThreshold_andSaysWhenThatCannotFitItsBudget() {
    DemoPlan p = DemoPlan.choose(DemoPlan.QUICK, 25, 0);

    // 2 x C is the least that keeps the naive server down; its window (5 x bound) and three ramps of 22 s of
    // capacity on just-started JVMs take about 5 1/2 minutes on 2 cores, and over 6 when all three JVMs hash as
    // slowly as the slowest ever measured: the plan says so, and takes no larger multiple.
    assertThat(p.offeredMultiple()).isEqualTo(2.0, within(1e-3));
    assertThat(p.window()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.clients()).isEqualTo(550);
    assertThat(p.estimatedTotal()).isBetween(Duration.ofSeconds(5 * 60 + 20), Duration.ofSeconds(5 * 60 + 45));
    assertThat(p.estimatedSlow()).isBetween(Duration.ofMinutes(6), Duration.ofSeconds(6 * 60 + 30));
    assertThat(p.warnings()).singleElement().asString()
        .contains("up to " + p.estimatedSlow().toSeconds() / 60 + " min", "would be over the 6 min 00 s budget");
  }

  @Test
  void fasterMachine_getsMoreClientsNotALongerDemo() {
    DemoPlan slow = DemoPlan.choose(DemoPlan.DEFAULT, 20, 0);
    DemoPlan fast = DemoPlan.choose(DemoPlan.DEFAULT, 80, 0);

    assertThat(fast.clients()).isGreaterThan(3 * slow.clients());
    assertThat(fast.offeredMultiple()).isCloseTo(slow.offeredMultiple(), within(0.05));
    assertThat(fast.estimatedTotal().toSeconds()).isCloseTo(slow.estimatedTotal().toSeconds(), within(5L));
  }

  @Test
  void tooFewClientsFromTheCommandLine_areWarnedAbout() {
    DemoPlan p = DemoPlan.choose(DemoPlan.DEFAULT, 25, 300);

    assertThat(p.clients()).isEqualTo(300);
    assertThat(p.offeredMultiple()).isCloseTo(300 / 11.0 / 25, within(1e-9));
    assertThat(p.warnings()).singleElement().asString().contains("only 1.09 x", "at least 550 clients");
  }

  @Test
  void hugePopulation_isWarnedAboutTheBudget() {
    DemoPlan p = DemoPlan.choose(DemoPlan.QUICK, 25, 5000);

    assertThat(p.warnings()).anySatisfy(w -> assertThat(w).contains("over the 6 min 00 s budget"));
  }

  @Test
  void describe_printsNCAndTheOfferedRate() {
    String text = DemoPlan.choose(DemoPlan.QUICK, 25, 0).describe();

    assertThat(text).contains("N = 550 clients", "C = 25.0/s", "50.0 log-ins/s = 2.00 x C", "(up to 6 min");
  }

  @Test
  void capacity_mustBePositive() {
    assertThatThrownBy(() -> DemoPlan.choose(DemoPlan.DEFAULT, 0, 0)).hasMessageContaining("loginCapacity");
  }
}
