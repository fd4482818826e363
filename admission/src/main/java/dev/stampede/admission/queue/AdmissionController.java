package dev.stampede.admission.queue;

import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.calendar.ThroughputMeter;
import dev.stampede.admission.limit.AdaptiveLimit;
import dev.stampede.admission.limit.PriorityShares;
import io.grpc.SynchronizationContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for each request, to run it now, queue it, or refuse it — the heart of admission control.
 *
 * <ul>
 *   <li>A concurrency limit ({@link AdaptiveLimit}) caps the work in flight; {@link PriorityShares} keeps a share of
 *       it reserved per priority, so CRITICAL work is never starved.</li>
 *   <li>A request that does not fit waits in a bounded queue with two lanes per priority: first the requests that
 *       came back at the time the retry calendar booked for them ({@link Waiter#booked()}), then the others. Lanes
 *       are served strictly in that order: a request is never started while a more important one waits, and a new
 *       request never overtakes a waiting one of its own lane or a more important one. When the queue is full a
 *       request evicts the oldest request of the least important non-empty lane after its own; otherwise it is
 *       refused. Under overload the queue is also full for a request when the requests waiting in its lane and the
 *       lanes before it already take every start expected within its allowance: newest first, the oldest request of
 *       its lane is refused at once to make room (or the newcomer, when none of its lane waits or the queue is served
 *       in arrival order) rather than after waiting out its allowance. Not for a booked request, nor one of a
 *       priority that may be held.</li>
 *   <li>Queue time is bounded by a {@link QueueTimePolicy} (CoDel-style target under overload, adaptive LIFO),
 *       enforced on every operation and by a sweeper while the queue is non-empty. Overload is a queue that has not
 *       been empty for a whole interval, or that timed a call out within the last interval.</li>
 *   <li>A request whose remaining deadline is shorter than its expected service time is refused before any work,
 *       on arrival and again when it leaves the queue.</li>
 *   <li>A request of a priority with a {@link QueueTimePolicy#holdMaxNanos hold time} that has waited its allowance
 *       is held rather than refused when the retry calendar ({@link Builder#hold}) has a slot for it within that
 *       time: the slot is booked and the request moves to the booked lane, allowed the booked wait plus the time to
 *       its slot.</li>
 * </ul>
 *
 * <p>The limit algorithm learns only from admitted work: see {@link Permit#release} and {@link Outcome}.
 *
 * <p>Thread-safe. State changes happen under one short lock; waiter callbacks run after it is released,
 * serialised through a {@link SynchronizationContext} so that a callback that releases a permit synchronously does
 * not recurse.
 */
public final class AdmissionController {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionController.class);
  private static final int PRIORITIES = Priority.values().length;
  /** Per priority a lane of booked requests, then one of the others. */
  private static final int LANES = 2 * PRIORITIES;
  /** The sweeper never runs more often than this while the queue is non-empty. */
  private static final long MIN_SWEEP_NANOS = 250_000L;

  /** Books retry slots for held requests: the retry calendar of the server. */
  @FunctionalInterface
  public interface HoldBook {
    /**
     * Books the earliest free slot if it starts at most {@code maxNanos} from now and returns how far ahead it
     * starts; books nothing and returns -1 otherwise. Called under the controller's lock: must be short.
     */
    long bookWithinNanos(long maxNanos);
  }

  /** What {@link #offer} decided at once. */
  public enum Offer {
    /** Run now: the waiter's {@link Waiter#permit()} is set; no callback follows. */
    ADMITTED,
    /** Queued: exactly one callback follows unless the waiter is cancelled. */
    QUEUED,
    /** Refused: the waiter's {@link Waiter#rejection()} is set; no callback follows. */
    REJECTED
  }

  private final AdaptiveLimit limit;
  private final PriorityShares shares;
  private final QueueTimePolicy queueTime;
  private final int queueCapacity;
  private final LongSupplier ticker;
  private final ScheduledExecutorService scheduler;
  private final HoldBook hold;
  private final ThroughputMeter throughput = new ThroughputMeter();
  private final SynchronizationContext callbacks = new SynchronizationContext(
      (thread, e) -> LOG.error("admission callback failed", e));

  private final Object lock = new Object();
  @SuppressWarnings("unchecked")
  private final ArrayDeque<Waiter>[] lanes = new ArrayDeque[LANES];
  private final int[] inflightBy = new int[PRIORITIES];
  private int inflight;
  private int queued;
  private long lastEmptyNanos;
  private long lastTimeoutNanos;
  private boolean timedOut;
  private boolean sweepScheduled;

  private AdmissionController(Builder b) {
    this.limit = b.limit;
    this.shares = b.shares;
    this.queueTime = b.queueTime;
    this.queueCapacity = b.queueCapacity;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
    this.hold = b.hold;
    for (int i = 0; i < LANES; i++) {
      lanes[i] = new ArrayDeque<>();
    }
    this.lastEmptyNanos = ticker.getAsLong();
  }

  public static Builder builder(AdaptiveLimit limit) {
    return new Builder(limit);
  }

  /**
   * Asks for a permit. Refuses at once with {@link RejectReason#DEADLINE_TOO_SHORT} if the waiter's remaining
   * deadline is shorter than its expected service time, with {@link RejectReason#OVERLOADED} if it must wait and
   * the queue is full of work at least as important, or when (under overload) the queue already holds as much of it
   * as the server is expected to start within the waiter's allowance and the waiter is not the newest of its lane to
   * be served: in arrival order, or with nobody of its lane waiting. Under adaptive LIFO the waiter instead takes the
   * place of the oldest call of its lane, which is refused.
   */
  public Offer offer(Waiter w) {
    if (w.deadlineTooShort(ticker.getAsLong())) {
      w.rejection = RejectReason.DEADLINE_TOO_SHORT;
      return Offer.REJECTED;
    }
    List<Runnable> actions;
    Offer result;
    boolean scheduleSweep = false;
    synchronized (lock) {
      long now = ticker.getAsLong();
      boolean overloaded = overloaded(now);
      actions = admitQueued(now, expire(now, overloaded, null));
      // An empty queue was empty until now, however long ago the last operation was.
      markEmpty(now);
      int lane = lane(w);
      int ahead = queuedAtOrAbove(lane);
      if (ahead == 0 && shares.canAdmit(w.priority(), limit.current(), inflight, inflightBy)) {
        w.permit = grant(w.priority(), now);
        result = Offer.ADMITTED;
      } else {
        Waiter evicted = null;
        boolean refuse;
        if (overloaded && startsTaken(w, lane, ahead, now)) {
          // Newest first (adaptive LIFO): the newcomer takes the place of the oldest call of its own lane, which
          // would only wait out its allowance. In arrival order, or with nobody of its own lane waiting, the
          // newcomer is the call that would not start in time. Either is a time-out made early: the regime stays
          // overloaded for an interval, as after one.
          timedOut = true;
          lastTimeoutNanos = now;
          refuse = !queueTime.lifo(overloaded) || lanes[lane].isEmpty();
          if (!refuse) {
            evicted = lanes[lane].pollFirst();
            queued--;
          }
        } else {
          refuse = queued >= queueCapacity && (queueCapacity == 0 || (evicted = evictBelow(lane)) == null);
        }
        if (refuse) {
          w.rejection = RejectReason.OVERLOADED;
          result = Offer.REJECTED;
        } else {
          if (evicted != null) {
            actions = add(actions, reject(evicted, RejectReason.OVERLOADED, now));
          }
          w.enqueuedNanos = now;
          w.queuedSinceNanos = now;
          lanes[lane].addLast(w);
          queued++;
          result = Offer.QUEUED;
          if (scheduler != null && !sweepScheduled) {
            sweepScheduled = true;
            scheduleSweep = true;
          }
        }
      }
      markEmpty(now);
    }
    return finish(result, actions, scheduleSweep);
  }

  private Offer finish(Offer result, List<Runnable> actions, boolean scheduleSweep) {
    if (scheduleSweep) {
      schedule(Math.max(MIN_SWEEP_NANOS, queueTime.targetNanos() / 2));
    }
    run(actions);
    return result;
  }

  /**
   * Withdraws a queued waiter (its client went away). No callback follows.
   *
   * @return whether it was still queued
   */
  public boolean cancel(Waiter w) {
    synchronized (lock) {
      boolean removed = lanes[lane(w)].remove(w);
      if (removed) {
        queued--;
        markEmpty(ticker.getAsLong());
      }
      return removed;
    }
  }

  /**
   * Times out queued waiters that waited too long and admits what fits. The sweeper calls it while the queue is
   * non-empty; tests with a fake ticker call it directly.
   */
  public void sweep() {
    List<Runnable> actions;
    synchronized (lock) {
      long now = ticker.getAsLong();
      actions = admitQueued(now, expire(now, overloaded(now), null));
      markEmpty(now);
    }
    run(actions);
  }

  /** Refuses every queued waiter with {@code reason} (e.g. {@link RejectReason#DRAINING} on shutdown). */
  public void rejectQueued(RejectReason reason) {
    List<Runnable> actions = null;
    synchronized (lock) {
      long now = ticker.getAsLong();
      for (ArrayDeque<Waiter> lane : lanes) {
        Waiter w;
        while ((w = lane.pollFirst()) != null) {
          queued--;
          actions = add(actions, reject(w, reason, now));
        }
      }
      markEmpty(now);
    }
    run(actions);
  }

  void release(Permit permit, Outcome outcome) {
    long now = ticker.getAsLong();
    long rtt = now - permit.startNanos();
    switch (outcome) {
      case SUCCESS:
        limit.onSuccess(permit.startNanos(), rtt, permit.inflightAtStart());
        throughput.record(now, rtt);
        break;
      case DROPPED:
        limit.onDropped(permit.startNanos(), rtt, permit.inflightAtStart());
        break;
      default:
        limit.onIgnore();
    }
    List<Runnable> actions;
    synchronized (lock) {
      inflight--;
      inflightBy[permit.priority().ordinal()]--;
      if (queued == 0) {
        return;
      }
      // Read the clock again under the lock: a call enqueued by another thread meanwhile is never "from the future".
      long t = ticker.getAsLong();
      actions = admitQueued(t, expire(t, overloaded(t), null));
      markEmpty(t);
    }
    run(actions);
  }

  /** The current concurrency limit. */
  public int limit() {
    return limit.current();
  }

  /** Calls holding a permit. */
  public int inflight() {
    return inflight;
  }

  /** Calls of {@code p} holding a permit. */
  public int inflight(Priority p) {
    return inflightBy[p.ordinal()];
  }

  /** Calls waiting in the queue. */
  public int queued() {
    return queued;
  }

  /** Calls of {@code p} waiting in the queue. */
  public int queued(Priority p) {
    synchronized (lock) {
      return lanes[2 * p.ordinal()].size() + lanes[2 * p.ordinal() + 1].size();
    }
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** Whether the queue has been non-empty for a whole CoDel interval. */
  public boolean isOverloaded() {
    synchronized (lock) {
      return overloaded(ticker.getAsLong());
    }
  }

  /** Completed work of this controller (for the retry calendar's budget). */
  public ThroughputMeter throughput() {
    return throughput;
  }

  public AdaptiveLimit adaptiveLimit() {
    return limit;
  }

  public LongSupplier ticker() {
    return ticker;
  }

  // --- under lock ---------------------------------------------------------------------------------------------

  /**
   * Overloaded: the queue has not been empty for a whole interval, or it dropped a call for its queue time less
   * than an interval ago. A queue emptied by its own timeouts is not a server keeping up: without the second rule
   * each sweep that timed out the backlog reset the regime, the next interval's arrivals were allowed the full
   * {@code max-time} again, and admitted calls waited ~100 ms half of the time (overload benchmark at 10x).
   */
  private boolean overloaded(long now) {
    return (queued > 0 && queueTime.overloaded(now, lastEmptyNanos))
        || (timedOut && now - lastTimeoutNanos < queueTime.intervalNanos());
  }

  private void markEmpty(long now) {
    if (queued == 0) {
      lastEmptyNanos = now;
    }
  }

  private static int lane(Waiter w) {
    return 2 * w.priority().ordinal() + (w.booked() || w.held ? 0 : 1);
  }

  private static boolean bookedLane(int lane) {
    return lane % 2 == 0;
  }

  /** Calls waiting in lanes as important as {@code lane} or more, but not those of a class held at its cap. */
  private int queuedAtOrAbove(int lane) {
    int n = 0;
    for (int q = 0; q <= lane; q++) {
      if (!shares.atCap(Priority.ofOrdinal(q / 2), inflightBy)) {
        n += lanes[q].size();
      }
    }
    return n;
  }

  private Permit grant(Priority p, long now) {
    inflight++;
    inflightBy[p.ordinal()]++;
    return new Permit(this, p, now, inflight);
  }

  /**
   * Under overload: whether the {@code waiting} calls of {@code lane} and the lanes before it already take every
   * start the server is expected to make within {@code w}'s allowance. Then one call among them and {@code w} would
   * wait out its allowance and be refused by the sweeper, on the sweeper's thread, after holding a place in the
   * queue; {@link #offer} makes that refusal at once, on the thread the newcomer came in on, which is what keeps
   * shedding cheap at ten times the capacity. Starts per second are the measured completion rate, or the limit over
   * the recent latency (Little's law) when that is higher — the estimate that refuses less. Never for a call that
   * came back for its booking (the server keeps its appointments), for a priority that may be held instead of
   * refused, or before anything completed.
   */
  private boolean startsTaken(Waiter w, int lane, int waiting, long now) {
    if (waiting == 0 || bookedLane(lane) || (hold != null && queueTime.holdMaxNanos(w.priority()) > 0)) {
      return false;
    }
    double rtt = throughput.recentRttNanos(now);
    double perSecond = Math.max(throughput.ratePerSecond(now), rtt > 0 ? limit.current() * 1e9 / rtt : 0);
    if (perSecond <= 0) {
      return false;
    }
    long allowance = queueTime.allowedNanos(w.priority(), true, w.waitBasisNanos(), false);
    return waiting >= Math.ceil(perSecond * allowance / 1e9);
  }

  /** Removes the oldest waiter of the least important non-empty lane after {@code lane}. */
  private Waiter evictBelow(int lane) {
    for (int q = LANES - 1; q > lane; q--) {
      Waiter w = lanes[q].pollFirst();
      if (w != null) {
        queued--;
        return w;
      }
    }
    return null;
  }

  private List<Runnable> expire(long now, boolean overloaded, List<Runnable> actions) {
    if (queued == 0) {
      return actions;
    }
    for (int q = 0; q < LANES; q++) {
      Priority priority = Priority.ofOrdinal(q / 2);
      boolean booked = bookedLane(q);
      // Allowances differ by method (service time), so expired waiters need not be at the head; but none is
      // shorter than the allowance of work of unknown length, and the lane is in arrival order: stop at the first
      // waiter younger than that.
      long shortest = queueTime.allowedNanos(priority, overloaded, 0, booked);
      Iterator<Waiter> it = lanes[q].iterator();
      while (it.hasNext()) {
        Waiter w = it.next();
        long waited = now - w.enqueuedNanos;
        if (waited <= shortest) {
          break;
        }
        if (waited > allowance(priority, overloaded, w, booked)) {
          it.remove();
          timedOut = true;
          lastTimeoutNanos = now;
          long slotIn = booked ? -1 : holdDelay(w, now);
          if (slotIn >= 0) {
            w.held = true;
            w.holdNanos = slotIn;
            w.enqueuedNanos = now;
            lanes[q - 1].addLast(w);
            actions = add(actions, () -> w.held(slotIn));
            continue;
          }
          queued--;
          actions = add(actions, reject(w, RejectReason.QUEUE_TIMEOUT, now));
        }
      }
    }
    return actions;
  }

  /** How long {@code w} may wait in its lane: a held waiter also the time to the slot booked for it. */
  private long allowance(Priority priority, boolean overloaded, Waiter w, boolean bookedLane) {
    long allowed = queueTime.allowedNanos(priority, overloaded, w.waitBasisNanos(), bookedLane);
    return w.held ? allowed + w.holdNanos : allowed;
  }

  /**
   * If {@code w}, which has waited its allowance, may be held: books its retry slot and returns how far ahead it
   * starts; else -1 (nothing booked). The slot must lie within its priority's hold time, and the whole wait a held
   * call is allowed (to its slot, then the booked wait) must end before its deadline leaves too little time for the
   * work: a held call is answered — served, or refused with a new slot — while its client still listens.
   */
  private long holdDelay(Waiter w, long now) {
    long max = queueTime.holdMaxNanos(w.priority());
    if (hold == null || max <= 0) {
      return -1;
    }
    if (w.deadlineNanos() != Waiter.NO_DEADLINE) {
      long bookedWait = Math.max(queueTime.allowedNanos(w.priority(), true, w.waitBasisNanos(), true),
          queueTime.allowedNanos(w.priority(), false, w.waitBasisNanos(), true));
      max = Math.min(max, w.deadlineNanos() - now - w.expectedServiceNanos() - bookedWait);
      if (max < 0) {
        return -1;
      }
    }
    return hold.bookWithinNanos(max);
  }

  private List<Runnable> admitQueued(long now, List<Runnable> actions) {
    boolean lifo = queueTime.lifo(overloaded(now));
    int lim = limit.current();
    while (queued > 0) {
      // The most important non-empty lane whose class is under its in-flight cap (a class at its cap waits for one of
      // its own permits; the classes below it may go first).
      int q = 0;
      while (q < LANES && (lanes[q].isEmpty() || shares.atCap(Priority.ofOrdinal(q / 2), inflightBy))) {
        q++;
      }
      if (q == LANES) {
        break;
      }
      Priority priority = Priority.ofOrdinal(q / 2);
      if (!shares.canAdmit(priority, lim, inflight, inflightBy)) {
        break;
      }
      // Booked requests are served in the order of their promises; the others newest first under overload.
      Waiter w = lifo && !bookedLane(q) ? lanes[q].pollLast() : lanes[q].pollFirst();
      queued--;
      if (w.deadlineTooShort(now)) {
        actions = add(actions, reject(w, RejectReason.DEADLINE_TOO_SHORT, now));
        continue;
      }
      Permit permit = grant(priority, now);
      long waited = now - w.queuedSinceNanos;
      actions = add(actions, () -> w.admitted(permit, waited));
    }
    return actions;
  }

  private static Runnable reject(Waiter w, RejectReason reason, long now) {
    long waited = now - w.queuedSinceNanos;
    return () -> w.rejected(reason, waited);
  }

  private static List<Runnable> add(List<Runnable> actions, Runnable r) {
    if (actions == null) {
      actions = new ArrayList<>(4);
    }
    actions.add(r);
    return actions;
  }

  // --- outside the lock ---------------------------------------------------------------------------------------

  private void run(List<Runnable> actions) {
    if (actions == null) {
      return;
    }
    for (Runnable r : actions) {
      callbacks.executeLater(r);
    }
    callbacks.drain();
  }

  private void schedule(long delayNanos) {
    try {
      scheduler.schedule(this::scheduledSweep, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // The scheduler is shut down: the server is stopping; operations still sweep as they go.
      synchronized (lock) {
        sweepScheduled = false;
      }
    }
  }

  private void scheduledSweep() {
    sweep();
    long next;
    synchronized (lock) {
      if (queued == 0) {
        sweepScheduled = false;
        return;
      }
      long now = ticker.getAsLong();
      boolean overloaded = overloaded(now);
      next = Long.MAX_VALUE;
      for (int q = 0; q < LANES; q++) {
        Waiter w = lanes[q].peekFirst();
        if (w != null) {
          long expiresIn = w.enqueuedNanos + allowance(Priority.ofOrdinal(q / 2), overloaded, w, bookedLane(q)) - now;
          next = Math.min(next, expiresIn);
        }
      }
      // The regime may switch to "overloaded" (a shorter allowance) before the oldest call expires.
      next = Math.min(next, queueTime.targetNanos() / 2);
    }
    schedule(Math.max(MIN_SWEEP_NANOS, next));
  }

  @Override
  public String toString() {
    return "AdmissionController[limit=" + limit() + " inflight=" + inflight + " queued=" + queued + "]";
  }

  /** Builds an {@link AdmissionController}. Not thread-safe. */
  public static final class Builder {
    /** Default queue capacity, across priorities. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;

    private final AdaptiveLimit limit;
    private PriorityShares shares = PriorityShares.DEFAULT;
    private QueueTimePolicy queueTime = QueueTimePolicy.defaults();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private LongSupplier ticker = System::nanoTime;
    private ScheduledExecutorService scheduler;
    private HoldBook hold;

    private Builder(AdaptiveLimit limit) {
      this.limit = Objects.requireNonNull(limit, "limit");
    }

    public Builder shares(PriorityShares shares) {
      this.shares = Objects.requireNonNull(shares, "shares");
      return this;
    }

    public Builder queueTime(QueueTimePolicy queueTime) {
      this.queueTime = Objects.requireNonNull(queueTime, "queueTime");
      return this;
    }

    /** Waiting requests across priorities; 0 = never queue. Default {@value #DEFAULT_QUEUE_CAPACITY}. */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 0) {
        throw new IllegalArgumentException("queue.capacity: " + queueCapacity + " (expected: >= 0)");
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** The clock, in nanoseconds; default {@link System#nanoTime()}. */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Runs the queue-time sweeper; without one, queue time is enforced only when calls arrive or finish. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Where held requests book their retry slots (the server's retry calendar); without it nothing is held, whatever
     * the {@link QueueTimePolicy#holdMaxNanos hold times}.
     */
    public Builder hold(HoldBook hold) {
      this.hold = hold;
      return this;
    }

    public AdmissionController build() {
      return new AdmissionController(this);
    }
  }
}
