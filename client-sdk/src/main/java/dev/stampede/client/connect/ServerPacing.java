package dev.stampede.client.connect;

import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;

/**
 * Remembers the earliest time the servers allow this connection's next call (their last pushback, across rounds,
 * heartbeats and refreshes), and whether the next call goes out at exactly that time — such a call is the
 * server's own schedule, and the local throttle must not veto it. Confined to the flow's context.
 */
final class ServerPacing {
  private final boolean honour;
  private long notBeforeNanos;
  private boolean nextCallScheduledByServer;

  /**
   * @param honour false only to simulate clients that ignored server delays
   * @param nowNanos the current time: nanoTime has an arbitrary origin, so "now" is the only safe "nothing asked"
   */
  ServerPacing(boolean honour, long nowNanos) {
    this.honour = honour;
    this.notBeforeNanos = nowNanos;
  }

  /** The wait before the next call: the client's own delay, or the server's when that is later. */
  long delayNanos(long ownDelayNanos, Throwable failure, long nowNanos) {
    if (!honour) {
      nextCallScheduledByServer = false;
      return ownDelayNanos;
    }
    if (failure instanceof CallFailedException && ((CallFailedException) failure).retryAfterNanos() >= 0) {
      notBeforeNanos = Math.max(notBeforeNanos, nowNanos + ((CallFailedException) failure).retryAfterNanos());
    }
    long serverDelay = notBeforeNanos - nowNanos;
    nextCallScheduledByServer = serverDelay > 0 && serverDelay >= ownDelayNanos;
    return Math.max(ownDelayNanos, serverDelay);
  }

  /** The settings for the next call, marked as scheduled by the server when it is (once). */
  CallSettings settingsForNextCall(CallSettings settings) {
    if (!nextCallScheduledByServer) {
      return settings;
    }
    nextCallScheduledByServer = false;
    return settings.withScheduledByServer(true);
  }
}
