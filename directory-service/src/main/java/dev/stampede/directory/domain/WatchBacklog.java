package dev.stampede.directory.domain;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one watcher has not been sent yet: at most one pending event per watched user, holding that user's latest
 * presence. A watcher that reads slowly therefore costs a bounded amount of memory however fast presence changes:
 * a newer presence replaces the pending one and the event is marked coalesced (the contract of
 * {@code WatchEvent.coalesced}). Events go out only while the {@link Sink} is ready (the transport's flow-control
 * window has room), in the order users first became pending.
 *
 * <p>The first event of each user is its snapshot ({@code initial = true}).
 *
 * <p>Thread-safe: offers may come from any thread; {@link #drain} runs under the same lock, so the sink is never
 * called concurrently.
 */
public final class WatchBacklog {
  /** Where events go: the gRPC stream. */
  public interface Sink {
    /** Whether the transport takes another message without buffering beyond its small fixed threshold. */
    boolean isReady();

    /** Sends one event; never called concurrently. */
    void send(Presence presence, boolean initial, boolean coalesced);
  }

  /** Counters for metrics; called under the backlog's lock, so implementations must be quick and non-blocking. */
  public interface Stats {
    Stats NONE = new Stats() {
    };

    /** The number of pending events changed by {@code delta}. */
    default void pendingChanged(int delta) {
    }

    /** A pending event was replaced by a newer presence of the same user. */
    default void coalesced() {
    }
  }

  private static final class Pending {
    Presence presence;
    final boolean initial;
    boolean coalesced;

    Pending(Presence presence, boolean initial) {
      this.presence = presence;
      this.initial = initial;
    }
  }

  private final Sink sink;
  private final Stats stats;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();
  private boolean closed;

  public WatchBacklog(Sink sink, Stats stats) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  /** Queues (or coalesces) the latest presence of a user and sends what the sink takes. Ignored once closed. */
  public synchronized void offer(Presence presence) {
    if (closed) {
      return;
    }
    Pending p = pending.get(presence.userId());
    if (p != null) {
      p.presence = presence;
      p.coalesced = true;
      stats.coalesced();
    } else {
      pending.put(presence.userId(), new Pending(presence, seen.add(presence.userId())));
      stats.pendingChanged(1);
    }
    drain();
  }

  /** Sends pending events while the sink is ready; call it when the sink becomes ready again. */
  public synchronized void drain() {
    Iterator<Pending> it = pending.values().iterator();
    while (!closed && it.hasNext() && sink.isReady()) {
      Pending p = it.next();
      it.remove();
      stats.pendingChanged(-1);
      sink.send(p.presence, p.initial, p.coalesced);
    }
  }

  /** Drops everything pending and ignores later offers. */
  public void close() {
    close(() -> {
    });
  }

  /**
   * Drops everything pending, ignores later offers and runs {@code last} (e.g. closing the stream) under the lock
   * that serialises sends, so that nothing is sent after it. Runs {@code last} only the first time.
   *
   * @return whether this call closed the backlog
   */
  public synchronized boolean close(Runnable last) {
    if (closed) {
      return false;
    }
    closed = true;
    stats.pendingChanged(-pending.size());
    pending.clear();
    last.run();
    return true;
  }

  /** How many events wait (at most the number of watched users). */
  public synchronized int pendingCount() {
    return pending.size();
  }
}
