package dev.stampede.relay.allocation;

/**
 * Whether this pod is draining: once set, it takes no new allocations or joins and reports not ready. Never unset:
 * a drained pod exits. Thread-safe.
 */
public final class DrainState {
  private volatile boolean draining;

  public boolean isDraining() {
    return draining;
  }

  /** Sets the flag; returns true for the first caller only. */
  public synchronized boolean start() {
    if (draining) {
      return false;
    }
    draining = true;
    return true;
  }
}
