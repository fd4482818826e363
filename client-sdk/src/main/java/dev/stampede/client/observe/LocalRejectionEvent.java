package dev.stampede.client.observe;

/**
 * The client did not send an attempt because of its own limits.
 *
 * @param service "auth", "directory" or "relay"
 * @param method the bare method name
 * @param attempt the attempt that was not sent (1 = the call's first)
 * @param reason which limit
 */
public record LocalRejectionEvent(String service, String method, int attempt, Reason reason) {

  /** Which client-side limit rejected the attempt. */
  public enum Reason {
    /** Adaptive throttling drew a rejection. */
    THROTTLED,
    /** The retry budget had no token for a retry. */
    BUDGET_EXHAUSTED
  }
}
