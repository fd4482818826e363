package dev.stampede.auth.domain;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where one call's password hashing runs: a bounded pool that never runs on an event loop and skips work whose
 * caller has gone (the gRPC edge binds it to the call, so the pool sees the call's deadline and priority).
 *
 * <p>The stage completes with the work's result, or fails with what the work threw, or with the pool's refusal
 * (overload, caller gone) before any work was done.
 */
@FunctionalInterface
public interface HashingLane {
  /** Runs {@code work} (CPU-bound, tens of milliseconds) on the hashing pool. */
  CompletionStage<String> submit(Supplier<String> work);
}
