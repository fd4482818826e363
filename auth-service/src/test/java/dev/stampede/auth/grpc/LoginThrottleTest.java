package dev.stampede.auth.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.admission.Admission;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.budget.Budget;
import dev.stampede.admission.budget.BudgetDecision;
import dev.stampede.admission.budget.Budgets;
import dev.stampede.auth.domain.AuthFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicInteger logins = new AtomicInteger();

  private final Admission admission = Admission.builder("auth-test").build();

  @AfterEach
  void close() {
    admission.close();
  }

  /** Local budgets (no Redis): the admission library's per-process GCRA, the same decisions on one pod. */
  private Budget budget(String name, double perSecond, int burst) {
    return new Budgets(null, admission.metrics(), true, admission.ticker(), Budgets.DEFAULT_TIMEOUT)
        .budget(name, perSecond, burst);
  }

  private CompletableFuture<String> failingLogin() {
    logins.incrementAndGet();
    return CompletableFuture.failedFuture(new AuthFailure(AuthFailure.Reason.BAD_CREDENTIALS));
  }

  @Test
  void failedLogins_useUpTheAccountBudget_thenAreRefusedBeforeAnyWork() {
    LoginThrottle throttle = new LoginThrottle(budget("acct", 0.001, 3), budget("src", 100, 1000));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> throttle.guard("u1", "10.0.0.1", this::failingLogin).toCompletableFuture().join())
          .hasCauseInstanceOf(AuthFailure.class);
    }
    assertThatThrownBy(() -> throttle.guard("u1", "10.0.0.1", this::failingLogin).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(OverloadException.class)
        .extracting(e -> ((OverloadException) e).reason()).isEqualTo(RejectReason.BUDGET_EXHAUSTED);
    assertThat(logins).hasValue(3);
    // Another account from the same source is not affected.
    assertThat(throttle.guard("u2", "10.0.0.1", () -> CompletableFuture.completedFuture("ok"))
        .toCompletableFuture().join()).isEqualTo("ok");
  }

  @Test
  void successfulLogins_useNoBudget() {
    LoginThrottle throttle = new LoginThrottle(budget("acct", 0.001, 1), budget("src", 0.001, 1));
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.guard("u1", "10.0.0.2", () -> CompletableFuture.completedFuture("ok"))
          .toCompletableFuture().join()).isEqualTo("ok");
    }
  }

  @Test
  void aSourceGuessingManyAccounts_isThrottledBySource() {
    LoginThrottle throttle = new LoginThrottle(budget("acct", 100, 1000), budget("src", 0.001, 2));
    for (int i = 0; i < 2; i++) {
      String user = "u" + i;
      assertThatThrownBy(() -> throttle.guard(user, "10.0.0.3", this::failingLogin).toCompletableFuture().join())
          .hasCauseInstanceOf(AuthFailure.class);
    }
    assertThatThrownBy(() -> throttle.guard("u9", "10.0.0.3", this::failingLogin).toCompletableFuture().join())
        .cause().isInstanceOf(OverloadException.class);
    assertThat(logins).hasValue(2);
  }
}
