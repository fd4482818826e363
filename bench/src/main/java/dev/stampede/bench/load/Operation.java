package dev.stampede.bench.load;

import java.util.concurrent.CompletionStage;

/**
 * One attempt of the work a benchmark measures, usually one async gRPC call. The stage completes normally for a
 * success and exceptionally (ideally with a {@code StatusRuntimeException}) for a failure. Must not block: it is
 * called from the arrival thread and from gRPC callback threads.
 */
@FunctionalInterface
public interface Operation {
  /**
   * Starts one attempt.
   *
   * @param attempt 1 for a new logical request, 2.. for its retries
   */
  CompletionStage<?> call(int attempt);
}
