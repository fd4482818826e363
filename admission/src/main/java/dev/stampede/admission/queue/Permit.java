package dev.stampede.admission.queue;

import dev.stampede.admission.Priority;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The right to run one call. Whoever holds it must {@link #release} it exactly once when the work ends; further
 * releases are ignored. Thread-safe.
 */
public final class Permit {
  private static final VarHandle RELEASED;

  static {
    try {
      RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AdmissionController controller;
  private final Priority priority;
  private final long startNanos;
  private final int inflightAtStart;
  @SuppressWarnings("unused")
  private volatile int released;

  Permit(AdmissionController controller, Priority priority, long startNanos, int inflightAtStart) {
    this.controller = controller;
    this.priority = priority;
    this.startNanos = startNanos;
    this.inflightAtStart = inflightAtStart;
  }

  public Priority priority() {
    return priority;
  }

  /** When the permit was granted, on the controller's ticker. */
  public long startNanos() {
    return startNanos;
  }

  int inflightAtStart() {
    return inflightAtStart;
  }

  /**
   * Returns the permit; the outcome decides what the adaptive limit learns.
   *
   * @return whether this call released it (false if it was already released)
   */
  public boolean release(Outcome outcome) {
    if (RELEASED.compareAndSet(this, 0, 1)) {
      controller.release(this, outcome);
      return true;
    }
    return false;
  }

  public boolean isReleased() {
    return released != 0;
  }
}
