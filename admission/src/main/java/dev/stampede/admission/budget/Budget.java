package dev.stampede.admission.budget;

import java.util.concurrent.CompletionStage;

/**
 * A named rate budget ({@code rate} per second with bursts of {@code burst}) kept per id — e.g. failed log-ins per
 * account or per source address — cluster-wide in Redis with GCRA, one round trip per decision. Stages never
 * complete exceptionally: when Redis is slow or unavailable the decision comes from a local limiter in this process
 * (fail open, with a logged warning) and says so ({@link BudgetDecision#local()}). With admission off every request
 * is allowed without touching Redis. Thread-safe.
 */
public interface Budget {

  /** The budget's name (part of the Redis key and of the metrics). */
  String name();

  /** Whether one more unit would be allowed now, without using any. */
  CompletionStage<BudgetDecision> check(String id);

  /**
   * Uses {@code cost} units of {@code id}'s budget if allowed.
   *
   * @throws IllegalArgumentException if {@code id} is empty, longer than 200 characters or contains braces, or
   *     {@code cost < 1}
   */
  CompletionStage<BudgetDecision> consume(String id, int cost);
}
