package dev.stampede.chaos.restart;

import java.util.List;

/**
 * Restarts targets — pods in a cluster or local replica processes — following a {@link RestartPlan}, and
 * records every action in a {@link Journal}.
 *
 * <p>Implementations: {@code KubernetesEngine} (fabric8; delete, evict, rollout restart) and {@code LocalEngine}
 * (replica processes of a {@code LocalStack}). Both share the selection, wave pacing, safety checks and journal
 * of {@link AbstractRestartEngine}, so a plan means the same on both.
 *
 * <p>Thread-safe: several plans may run at the same time (e.g. auth and directory killed together at t0).
 * {@link #run} blocks the calling thread until the plan is done (and, if asked, the targets are ready again);
 * run it on an executor to act while doing something else.
 */
public interface RestartEngine extends AutoCloseable {

  /** The engine's name in the journal: {@code kubernetes} or {@code local}. */
  String name();

  /** The namespace used when a {@link Target} leaves it open. */
  String defaultNamespace();

  /**
   * Lists the targets matching a target's selector, sorted by name.
   *
   * @throws ClusterAccessException if the cluster cannot be reached or forbids listing
   * @throws RestartRefusedException if the namespace is not allowed
   */
  List<Replica> list(Target target);

  /**
   * Runs a plan: checks the guard rails, picks the targets, acts (or only records what it would do, for a dry
   * run), and optionally waits until the targets are ready again.
   *
   * @return what happened; the same facts are in the journal as events
   * @throws RestartRefusedException if a guard rail refuses the plan (nothing was touched)
   * @throws ClusterAccessException if the cluster cannot be reached or forbids a request the plan needs;
   *     actions already done are in the journal
   * @throws IllegalArgumentException if the plan is invalid for this engine
   */
  RestartResult run(RestartPlan plan, Journal journal);

  /**
   * Runs a plan that {@code abort} can stop on its own (e.g. when the client that asked for it disconnects),
   * without aborting the engine; otherwise as {@link #run(RestartPlan, Journal)}.
   */
  RestartResult run(RestartPlan plan, Journal journal, AbortSignal abort);

  /**
   * Stops running plans as soon as possible: no further action is started, waits end, each running plan records
   * an {@code abort} event and returns a result with {@link RestartResult#aborted()} set. Plans started after an
   * abort are refused. Safe to call from a signal handler thread; idempotent.
   */
  void abort();

  /** Releases the engine's resources (the Kubernetes client; a local engine leaves its stack running). */
  @Override
  void close();
}
