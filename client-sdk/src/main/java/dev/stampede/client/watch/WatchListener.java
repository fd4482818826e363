package dev.stampede.client.watch;

import dev.stampede.api.directory.v1.WatchEvent;
import io.grpc.Status;
import java.time.Duration;

/**
 * Receives a {@link PresenceWatch}'s events, one at a time and in order. The next event is requested when
 * {@link #onEvent} returns: a slow listener receives coalesced events (directory.proto), it does not make the
 * client buffer.
 */
public interface WatchListener {

  /** A presence event. After every (re-)subscription the first events are a snapshot ({@code initial = true}). */
  void onEvent(WatchEvent event);

  /** The stream ended with {@code cause}; the watch subscribes again after {@code delay}. */
  default void onResubscribing(Status cause, Duration delay) {
  }

  /** The watch ended for good: closed by the caller (CANCELLED) or refused for a reason retrying cannot fix. */
  default void onStopped(Status cause) {
  }
}
