package dev.stampede.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void fullBucket_allowsExactlyItsCapacity_thenNothing() {
    RetryBudget budget = new RetryBudget(10, 0.1);
    int allowed = 0;
    while (budget.tryWithdraw()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(10);
    assertThat(budget.tryWithdraw()).isFalse();
  }

  @Test
  void tenSuccesses_earnOneRetry() {
    RetryBudget budget = new RetryBudget(10, 0.1);
    while (budget.tryWithdraw()) {
      // drain
    }
    for (int i = 0; i < 9; i++) {
      budget.deposit();
    }
    assertThat(budget.tryWithdraw()).as("0.9 tokens").isFalse();
    budget.deposit();
    assertThat(budget.tryWithdraw()).as("1.0 token").isTrue();
    assertThat(budget.tryWithdraw()).isFalse();
  }

  @Test
  void deposits_stopAtCapacity() {
    RetryBudget budget = new RetryBudget(3, 0.5);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    assertThat(budget.tokens()).isEqualTo(3.0);
  }

  @Test
  void invalidSettings_areRejected() {
    assertThatThrownBy(() -> new RetryBudget(0.5, 0.1)).hasMessageStartingWith("maxTokens: ");
    assertThatThrownBy(() -> new RetryBudget(10, 0)).hasMessageStartingWith("depositPerSuccess: ");
  }
}
