package dev.stampede.auth.domain;

/**
 * Work was skipped because its caller stopped waiting (call cancelled, or too little deadline left for the
 * expected service time) by the time the work reached the front of the queue. Nobody hears the answer; the gRPC
 * edge closes the call with {@code DEADLINE_EXCEEDED} or {@code CANCELLED}.
 */
public final class CallerGoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CallerGoneException(String message) {
    super(message, null, false, false);
  }
}
