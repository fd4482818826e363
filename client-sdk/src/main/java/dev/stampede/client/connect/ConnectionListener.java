package dev.stampede.client.connect;

import java.time.Duration;

/**
 * Observes one {@link Connection}. Callbacks of a connection are delivered one at a time and in order, from the
 * connection's serialised context; they must be quick and must not block (hand work to an executor).
 */
public interface ConnectionListener {

  /**
   * The state changed.
   *
   * @param cause why, when a failure caused it (going OFFLINE after a failure that retrying cannot fix, or
   *     CONNECTING after the lease or session was lost); null otherwise
   */
  void onStateChanged(ConnectionState from, ConnectionState to, Throwable cause);

  /** A connect round failed; the next starts after {@code retryIn}. */
  default void onConnectRoundFailed(Throwable cause, Duration retryIn) {
  }

  /** The server rejected the stored resume ticket; the connection falls back to a password log-in. */
  default void onTicketRejected() {
  }
}
