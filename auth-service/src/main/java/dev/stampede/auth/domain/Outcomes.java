package dev.stampede.auth.domain;

/**
 * Receives the outcome of each operation for metrics ({@code stampede_auth_outcomes_total{op,outcome}}). Outcomes
 * are finer than status codes (e.g. a resume refused as {@code reused} versus {@code unknown}); they are for
 * operators and never reach clients.
 */
@FunctionalInterface
public interface Outcomes {
  /** Discards everything. */
  Outcomes NONE = (op, outcome) -> { };

  /** Records one outcome; must be cheap and thread-safe. */
  void record(String op, String outcome);
}
