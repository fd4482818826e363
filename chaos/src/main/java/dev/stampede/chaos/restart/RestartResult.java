package dev.stampede.chaos.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one plan did. The journal holds the same facts event by event.
 *
 * @param engine the engine's name
 * @param plan the plan
 * @param namespace the namespace acted in
 * @param seed the seed of the random pick (repeat the run with {@link RestartPlan.Builder#seed(long)})
 * @param matched how many targets matched (pods or replicas not already terminating; workloads for rollout)
 * @param picked the targets the mode picked, in the order acted on
 * @param acted how many actions succeeded (for a dry run: how many would have been attempted)
 * @param pdbBlocked how many evictions a PodDisruptionBudget refused
 * @param notFound how many targets were gone when their turn came
 * @param failed how many actions failed
 * @param skipped how many picked targets were deliberately left alone (no owner for rollout, a wave that did not
 *     get ready, an abort)
 * @param aborted whether the plan was aborted
 * @param startedAt when the plan started
 * @param firstActionAt when the first action was sent (the fault's t0)
 * @param lastActionAt when the last action was sent
 * @param readyAt when the targets were ready again, if the plan waited and they were
 * @param readyTimedOut whether the plan waited for readiness and ran out of time
 */
public record RestartResult(String engine, RestartPlan plan, String namespace, long seed, int matched,
    List<String> picked, int acted, int pdbBlocked, int notFound, int failed, int skipped, boolean aborted,
    Instant startedAt, Optional<Instant> firstActionAt, Optional<Instant> lastActionAt, Optional<Instant> readyAt,
    boolean readyTimedOut) {

  /** Copies the list. */
  public RestartResult {
    picked = List.copyOf(picked);
  }

  /** Whether this was a dry run. */
  public boolean dryRun() {
    return plan.dryRun();
  }

  /**
   * t_ready: the time from the first action to the targets being ready again, if the plan waited for it and
   * they became ready.
   */
  public Optional<Duration> timeToReady() {
    if (readyAt.isEmpty() || firstActionAt.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(firstActionAt.get(), readyAt.get()));
  }

  /** A one-line summary for terminals and the {@code run-end} event. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(dryRun() ? "dry-run: would act on " : "acted on ").append(acted).append(" of ").append(picked.size())
        .append(" picked (").append(matched).append(" matched)");
    if (pdbBlocked > 0) {
      s.append(", ").append(pdbBlocked).append(" blocked by PodDisruptionBudget");
    }
    if (notFound > 0) {
      s.append(", ").append(notFound).append(" already gone");
    }
    if (failed > 0) {
      s.append(", ").append(failed).append(" failed");
    }
    if (skipped > 0) {
      s.append(", ").append(skipped).append(" skipped");
    }
    timeToReady().ifPresent(d -> s.append(", ready again after ").append(d.toMillis() / 1000.0).append("s"));
    if (readyTimedOut) {
      s.append(", NOT ready again within ").append(plan.readyTimeout().map(Action::seconds).orElse("?"));
    }
    if (aborted) {
      s.append(", ABORTED");
    }
    return s.toString();
  }
}
