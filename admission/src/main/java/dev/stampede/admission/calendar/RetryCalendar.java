package dev.stampede.admission.calendar;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A virtual waiting room: hands each refused request a time to come back, taken from time slots whose per-slot
 * budget is what the server can serve, so that clients which obey return at a rate the server can absorb.
 * Implementations are thread-safe and never block the caller.
 */
public interface RetryCalendar {

  /** Books a slot for one refused request now; returns the delay (ms) the client must wait. Never blocks. */
  long bookMillis();

  /**
   * Books a slot, possibly through a shared (cluster-wide) calendar. The stage completes quickly — with a local
   * booking if the shared one is slow or gone — and never exceptionally.
   */
  default CompletionStage<Long> bookAsync() {
    return CompletableFuture.completedFuture(bookMillis());
  }

  /** How far ahead the first slot with room lies, in seconds (0 when the next slot is free). */
  double horizonSeconds();
}
