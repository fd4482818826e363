package dev.stampede.chaos.storm;

/**
 * When a {@link ClientProfile.Skype2007} client tries: the pure schedule, with time passed in, so that it is
 * tested with a fake clock and shared by every such client.
 *
 * <p>Try 1 of cycle 1 starts when the client comes back. After a failed try (whatever the failure: a timeout, an
 * overload answer with pushback — ignored — or a refused connection) the next try starts {@code retryDelay}
 * later, with no jitter. After try {@code triesPerCycle} fails, the client gives up and starts over: cycle + 1,
 * try 1, on a new connection, {@code retryDelay + cyclePause} later.
 *
 * <p>Not thread-safe: one per virtual client, driven by that client's events.
 */
public final class Skype2007Schedule {

  /**
   * One planned try.
   *
   * @param atNanos when to send it
   * @param deadlineNanos when each of its RPCs times out at the latest (relative deadline from its send)
   * @param cycle 1-based cycle
   * @param tryInCycle 1-based try within the cycle
   * @param newConnection whether the client opens a new connection first (a return or a start-over)
   */
  public record Try(long atNanos, long deadlineNanos, int cycle, int tryInCycle, boolean newConnection) {
  }

  private final ClientProfile.Skype2007 profile;
  private int cycle;
  private int tryInCycle;

  /** A schedule following {@code profile}. */
  public Skype2007Schedule(ClientProfile.Skype2007 profile) {
    this.profile = profile;
  }

  /** The client came back (a reboot, or a lost session): the first try, now, on a new connection. */
  public Try comeBack(long nowNanos) {
    cycle = 1;
    tryInCycle = 1;
    return plan(nowNanos, true);
  }

  /**
   * The current try failed at {@code nowNanos}; {@code pushbackMillis} is whatever the server asked for, and is
   * ignored, as the 2007 clients did.
   *
   * @return the next try
   */
  public Try failed(long nowNanos, long pushbackMillis) {
    if (cycle == 0) {
      throw new IllegalStateException("failed() before comeBack()");
    }
    long wait = profile.retryDelay().toNanos();
    if (tryInCycle >= profile.triesPerCycle()) {
      cycle++;
      tryInCycle = 1;
      return plan(nowNanos + wait + profile.cyclePause().toNanos(), true);
    }
    tryInCycle++;
    return plan(nowNanos + wait, false);
  }

  /** The current try succeeded; the next return starts from cycle 1 again. */
  public void succeeded() {
    cycle = 0;
    tryInCycle = 0;
  }

  /** Total tries since the last success or return, across cycles. */
  public int triesSoFar() {
    return cycle == 0 ? 0 : (cycle - 1) * profile.triesPerCycle() + tryInCycle;
  }

  private Try plan(long at, boolean newConnection) {
    return new Try(at, at + profile.attemptTimeout().toNanos(), cycle, tryInCycle, newConnection);
  }
}
