package dev.stampede.auth.grpc;

import dev.stampede.admission.budget.Budget;
import dev.stampede.admission.budget.BudgetDecision;
import dev.stampede.auth.domain.AuthFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Throttles failed log-ins (brute force) with two cluster-wide GCRA budgets of the admission library: per account
 * and per source address. A log-in whose account or source has used up its budget is refused before any hashing
 * ({@code RESOURCE_EXHAUSTED}, reason {@code BUDGET_EXHAUSTED}, with the budget's delay); only a failed log-in
 * uses budget. Resume never consults these budgets, so an attacker guessing passwords cannot lock the real user's
 * devices out of their sessions. Thread-safe.
 */
final class LoginThrottle {
  private final Budget perAccount;
  private final Budget perSource;

  LoginThrottle(Budget perAccount, Budget perSource) {
    this.perAccount = perAccount;
    this.perSource = perSource;
  }

  /** Runs {@code login} unless a budget is used up; charges both budgets when it fails with bad credentials. */
  <T> CompletionStage<T> guard(String userId, String source, Supplier<CompletionStage<T>> login) {
    CompletableFuture<BudgetDecision> account = perAccount.check(userId).toCompletableFuture();
    CompletableFuture<BudgetDecision> address = perSource.check(source).toCompletableFuture();
    return account.thenCombine(address, (a, s) -> !a.allowed() ? a : s)
        .thenCompose(decision -> {
          if (!decision.allowed()) {
            return CompletableFuture.failedFuture(decision.toException());
          }
          return login.get().whenComplete((value, error) -> {
            if (isBadCredentials(error)) {
              perAccount.consume(userId, 1);
              perSource.consume(source, 1);
            }
          });
        });
  }

  private static boolean isBadCredentials(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof AuthFailure;
  }
}
