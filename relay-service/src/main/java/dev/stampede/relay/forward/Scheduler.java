package dev.stampede.relay.forward;

/**
 * Runs a task later. Production code passes a {@code ScheduledExecutorService}; tests a fake clock's scheduler, so
 * that time-dependent behaviour is tested without waiting.
 */
@FunctionalInterface
public interface Scheduler {
  /** Runs {@code task} once, about {@code delayNanos} from now, on some thread other than the caller's. */
  void schedule(Runnable task, long delayNanos);
}
