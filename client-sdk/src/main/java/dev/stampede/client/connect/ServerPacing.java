package dev.stampede.client.connect;

import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;

/**
 * Remembers the earliest time the servers allow this connection's next call (their last pushback, across rounds,
 * heartbeats and refreshes), and whether the next call is paced by the server: it follows an answer that named a
 * delay, or a delay that still binds, and goes out no earlier than that. Such a call keeps to the server's own
 * schedule (its retry calendar spread the refused callers over its capacity), so the local throttle must not veto
 * it. A veto would count as one more request without an accept: a device refused a few times during a storm would
 * then refuse itself on every later round, whatever the server says, until its throttle window (two minutes) had
 * aged. Confined to the flow's context.
 */
final class ServerPacing {
  private final boolean honour;
  private long notBeforeNanos;
  private boolean nextCallScheduledByServer;
  private String booking;

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
    boolean serverNamedDelay =
        failure instanceof CallFailedException && ((CallFailedException) failure).retryAfterNanos() >= 0;
    if (serverNamedDelay) {
      long namedNanos = nowNanos + ((CallFailedException) failure).retryAfterNanos();
      if (namedNanos >= notBeforeNanos) {
        booking = ((CallFailedException) failure).retryBooking();
      }
      notBeforeNanos = Math.max(notBeforeNanos, namedNanos);
    }
    long serverDelay = notBeforeNanos - nowNanos;
    nextCallScheduledByServer = serverNamedDelay || serverDelay > 0;
    return Math.max(ownDelayNanos, serverDelay);
  }

  /**
   * The settings for the next call, marked as scheduled by the server when it is (once), with the server's booking
   * of that time when it gave one.
   */
  CallSettings settingsForNextCall(CallSettings settings) {
    if (!nextCallScheduledByServer) {
      return settings;
    }
    nextCallScheduledByServer = false;
    String b = booking;
    booking = null;
    CallSettings scheduled = settings.withScheduledByServer(true);
    return b == null ? scheduled : scheduled.withRetryBooking(b);
  }
}
