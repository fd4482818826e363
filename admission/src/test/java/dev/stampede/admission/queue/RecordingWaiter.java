package dev.stampede.admission.queue;

import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import java.util.List;

/** A waiter that records what happened to it; {@code log} collects events of several waiters in order. */
final class RecordingWaiter extends Waiter {
  final String name;
  final List<String> log;
  Permit granted;
  RejectReason refused;
  long waitedNanos = -1;
  /** When set (>= 0): the {@link #waitBasisNanos()} this waiter reports instead of its service time. */
  long waitBasis = -1;

  RecordingWaiter(String name, Priority priority, long deadlineNanos, long expectedNanos, List<String> log) {
    this(name, priority, deadlineNanos, expectedNanos, false, log);
  }

  RecordingWaiter(String name, Priority priority, long deadlineNanos, long expectedNanos, boolean booked,
      List<String> log) {
    super(priority, deadlineNanos, expectedNanos, booked);
    this.name = name;
    this.log = log;
  }

  RecordingWaiter(String name, Priority priority, List<String> log) {
    this(name, priority, NO_DEADLINE, 0, log);
  }

  @Override
  public long waitBasisNanos() {
    return waitBasis >= 0 ? waitBasis : super.waitBasisNanos();
  }

  @Override
  protected void held(long slotInNanos) {
    log.add(name + ":held+" + slotInNanos / 1_000_000 + "ms");
  }

  @Override
  protected void admitted(Permit permit, long queuedNanos) {
    granted = permit;
    waitedNanos = queuedNanos;
    log.add(name + ":admitted");
  }

  @Override
  protected void rejected(RejectReason reason, long queuedNanos) {
    refused = reason;
    waitedNanos = queuedNanos;
    log.add(name + ":" + reason.label());
  }
}
