package dev.stampede.client.observe;

import java.util.List;
import java.util.Objects;

/**
 * Receives the client's events. Every method has an empty default, so an implementation overrides what it needs.
 *
 * <p>Events arrive on gRPC and scheduler threads, possibly concurrently: implementations must be thread-safe, fast
 * and non-blocking (count, do not log per event at INFO). An exception thrown by a listener is logged and
 * otherwise ignored.
 */
public interface ClientEventListener {

  /** A listener that ignores everything. */
  ClientEventListener NONE = new ClientEventListener() { };

  /** An attempt ended (answered by the server, or failed in the transport). */
  default void onAttempt(AttemptEvent event) {
  }

  /** A retry was scheduled after a failed attempt. */
  default void onRetryScheduled(RetryEvent event) {
  }

  /** An attempt or a retry was not sent because of the client's own limits. */
  default void onLocalRejection(LocalRejectionEvent event) {
  }

  /** A call (all its attempts) ended. */
  default void onCallFinished(CallEvent event) {
  }

  /** The reconnect pacer asked a channel to reconnect now instead of at gRPC's own, longer backoff. */
  default void onReconnectKick(ReconnectEvent event) {
  }

  /** Delivers every event to each listener in order, isolating their failures. */
  static ClientEventListener composite(List<? extends ClientEventListener> listeners) {
    List<ClientEventListener> copy = List.copyOf(listeners);
    copy.forEach(l -> Objects.requireNonNull(l, "listener"));
    if (copy.isEmpty()) {
      return NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return new CompositeListener(copy);
  }
}
