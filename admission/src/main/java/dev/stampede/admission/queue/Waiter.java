package dev.stampede.admission.queue;

import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import java.util.Objects;

/**
 * One request asking an {@link AdmissionController} for a permit. If the controller cannot decide at once, the
 * waiter is queued, and later exactly one of {@link #admitted} or {@link #rejected} is called — unless the owner
 * withdraws it first with {@link AdmissionController#cancel}. Callbacks run outside the controller's lock, one at a
 * time, on the thread that caused them (a release, an offer or the sweeper); they must be short and not block.
 */
public abstract class Waiter {
  /** {@link #deadlineNanos()} of a request without a deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final Priority priority;
  private final long deadlineNanos;
  private final long expectedServiceNanos;
  private final boolean booked;

  /** When the waiter took its place in its current lane (its allowance runs from here). */
  long enqueuedNanos;
  /** When the waiter first entered the queue (what the callbacks report). */
  long queuedSinceNanos;
  /** Whether the controller moved it to the booked lane instead of refusing it (see {@link #held(long)}). */
  boolean held;
  /** How far ahead the slot booked for a held waiter lay; added to its allowance. */
  long holdNanos;
  Permit permit;
  RejectReason rejection;

  /**
   * @param deadlineNanos the absolute deadline on the controller's ticker, or {@link #NO_DEADLINE}
   * @param expectedServiceNanos how long the work is expected to take once started (0 = unknown)
   */
  protected Waiter(Priority priority, long deadlineNanos, long expectedServiceNanos) {
    this(priority, deadlineNanos, expectedServiceNanos, false);
  }

  /**
   * @param booked whether the request holds a booking of the retry calendar that is due (it waits in the booked
   *     lane of its priority: ahead of unbooked requests, for up to {@link QueueTimePolicy#bookedMaxNanos()})
   */
  protected Waiter(Priority priority, long deadlineNanos, long expectedServiceNanos, boolean booked) {
    this.priority = Objects.requireNonNull(priority, "priority");
    this.deadlineNanos = deadlineNanos;
    this.expectedServiceNanos = Math.max(0, expectedServiceNanos);
    this.booked = booked;
  }

  public final Priority priority() {
    return priority;
  }

  public final long deadlineNanos() {
    return deadlineNanos;
  }

  public final long expectedServiceNanos() {
    return expectedServiceNanos;
  }

  /** Whether the request came back at the time the server booked for it. */
  public final boolean booked() {
    return booked;
  }

  /**
   * The work time that sets how long this waiter may wait under overload ({@link QueueTimePolicy#allowedNanos(
   * Priority, boolean, long)}): by default its own {@link #expectedServiceNanos() service time}. A queue in front of
   * a few workers doing long tasks overrides it (see {@code WorkerPool}).
   */
  public long waitBasisNanos() {
    return expectedServiceNanos;
  }

  /** The permit of a waiter that {@link AdmissionController#offer} admitted at once; else null. */
  public final Permit permit() {
    return permit;
  }

  /** Why {@link AdmissionController#offer} refused this waiter at once; else null. */
  public final RejectReason rejection() {
    return rejection;
  }

  /** Whether at {@code nowNanos} too little deadline is left to do the work. */
  final boolean deadlineTooShort(long nowNanos) {
    return deadlineNanos != NO_DEADLINE && deadlineNanos - nowNanos < expectedServiceNanos;
  }

  /**
   * A queued waiter that has waited its allowance was not refused but held: a retry slot {@code slotInNanos} ahead
   * was booked for it and it now waits in the booked lane of its priority (see
   * {@link QueueTimePolicy#holdMaxNanos}). {@link #admitted} or {@link #rejected} still follows. Default: nothing.
   */
  protected void held(long slotInNanos) {
  }

  /** A queued waiter got its permit after {@code queuedNanos}; it must release the permit eventually. */
  protected abstract void admitted(Permit permit, long queuedNanos);

  /** A queued waiter was refused after {@code queuedNanos}. */
  protected abstract void rejected(RejectReason reason, long queuedNanos);
}
