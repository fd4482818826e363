package dev.stampede.chaos.storm;

import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.client.CallFailedException;
import io.grpc.Status;

/**
 * How the timeline counts the end of one RPC attempt, from its gRPC status — the one place where statuses become
 * {@link Outcome}s, for the SDK clients' recorded channels and for the 2007 clients' single attempts alike.
 *
 * <ul>
 *   <li>{@code OK}: a success;
 *   <li>{@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE} carrying a retry delay: an overload answer
 *       ({@link Outcome#REJECTED});
 *   <li>{@code DEADLINE_EXCEEDED} after the attempt reached a server: {@link Outcome#TIMEOUT};
 *   <li>{@code UNAVAILABLE} without a delay, or a deadline that passed while the attempt only waited for a
 *       connection: nobody answered ({@link Outcome#UNREACHABLE});
 *   <li>anything else: {@link Outcome#ERROR}.
 * </ul>
 *
 * <p>Stateless.
 */
public final class StatusOutcome {
  private StatusOutcome() {
  }

  /**
   * The outcome of an attempt.
   *
   * @param code its status code
   * @param pushback whether the server asked for a retry delay
   * @param reachedServer whether the attempt left the client on a connection
   */
  public static Outcome of(Status.Code code, boolean pushback, boolean reachedServer) {
    return switch (code) {
      case OK -> Outcome.SUCCESS;
      case RESOURCE_EXHAUSTED -> pushback ? Outcome.REJECTED : Outcome.ERROR;
      case UNAVAILABLE -> pushback ? Outcome.REJECTED : Outcome.UNREACHABLE;
      case DEADLINE_EXCEEDED -> reachedServer ? Outcome.TIMEOUT : Outcome.UNREACHABLE;
      default -> Outcome.ERROR;
    };
  }

  /** The outcome of a single-attempt call that failed with {@code error} (a {@link CallFailedException}, usually). */
  public static Outcome of(Throwable error) {
    Throwable t = error;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CallFailedException f) {
      return of(f.code(), f.retryAfterNanos() >= 0, f.reachedServer());
    }
    return Outcome.ERROR;
  }
}
