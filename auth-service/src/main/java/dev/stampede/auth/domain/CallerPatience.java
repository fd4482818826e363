package dev.stampede.auth.domain;

/**
 * How long the caller of a queued piece of work still waits. The gRPC edge adapts the call's
 * {@code io.grpc.Context}; work whose caller is gone, or has less time left than the work takes, is skipped.
 */
public interface CallerPatience {
  /** A caller that waits forever (internal work, tests). */
  CallerPatience UNBOUNDED = new CallerPatience() {
    @Override
    public boolean gone() {
      return false;
    }

    @Override
    public long remainingNanos() {
      return Long.MAX_VALUE;
    }
  };

  /** True when the call was cancelled or its deadline passed. */
  boolean gone();

  /** Nanoseconds until the caller's deadline; {@link Long#MAX_VALUE} when it has none. */
  long remainingNanos();
}
