package dev.stampede.directory.watch;

import dev.stampede.directory.domain.CapacityExhaustedException;
import dev.stampede.directory.domain.Presence;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This pod's fan-out of presence changes to its watchers. For every user watched on this pod there is one
 * {@link Topic}: one subscription to the user's change channel, one read of the user's presence per change (however
 * many watchers), and one timer for the next lease expiry. Watchers get the topic's presence through their own
 * bounded backlog, so a slow watcher never holds up the others.
 *
 * <p><b>Why re-read instead of publishing presence.</b> The change message only says "changed"; the topic then
 * reads the user's hash. Reads of one topic never overlap (a change during a read triggers one more read), so a burst
 * of changes costs at most two reads, and the latest state always wins. Heartbeats publish nothing (they change no
 * reachability); expiry needs no message either: the topic re-reads when the earliest lease is due to expire.
 *
 * <p>Ordering: a topic subscribes before its first read, so no change between the two is missed.
 *
 * <p>Thread-safe. Callbacks from Redis and timers arrive on other threads and never block.
 */
public final class PresenceHub {
  /** One watch stream, as the hub sees it. */
  public interface Watcher {
    /** The latest presence of a watched user; the first one per user is its snapshot. Must not block. */
    void offer(Presence presence);

    /** The hub ends this watch (Redis lost, server draining); called at most once, never under a hub lock. */
    void end(Throwable cause);
  }

  /** Where presence is read. */
  @FunctionalInterface
  public interface Source {
    CompletionStage<Snapshot> read(String userId);
  }

  /** A presence and the Redis time it was read at. */
  public record Snapshot(Presence presence, long readAtMillis) {
  }

  /** Where change notifications come from. */
  public interface Feed {
    CompletionStage<Void> subscribe(Collection<String> userIds);

    void unsubscribe(Collection<String> userIds);
  }

  /** Runs a task later; returns a handle to cancel it. */
  @FunctionalInterface
  public interface Scheduler {
    Runnable schedule(Runnable task, long delayMillis);
  }

  /** A registered watch; {@link PresenceHub#cancel} it when the stream ends. */
  public static final class Watch {
    final List<String> users;
    final Watcher watcher;

    private Watch(List<String> users, Watcher watcher) {
      this.users = users;
      this.watcher = watcher;
    }
  }

  /** Reads of one user retried after a failure before its watches end (after 100, 200, 400 ms). */
  static final int READ_RETRIES = 3;
  private static final long FIRST_RETRY_MILLIS = 100;

  private final Source source;
  private final Feed feed;
  private final Scheduler scheduler;
  private final int maxWatches;
  private final long expiryGraceMillis;
  private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
  private final Set<Watch> watches = new HashSet<>();
  private Throwable closedWith;

  /**
   * @param maxWatches watch streams this pod holds at most; more are refused with
   *     {@link CapacityExhaustedException}
   * @param expiryGraceMillis how long after a lease's expiry its topic re-reads (lets a heartbeat that raced the
   *     expiry land first)
   */
  public PresenceHub(Source source, Feed feed, Scheduler scheduler, int maxWatches, long expiryGraceMillis) {
    this.source = Objects.requireNonNull(source, "source");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    if (maxWatches < 1) {
      throw new IllegalArgumentException("maxWatches: " + maxWatches + " (expected: ≥ 1)");
    }
    if (expiryGraceMillis < 0) {
      throw new IllegalArgumentException("expiryGraceMillis: " + expiryGraceMillis + " (expected: ≥ 0)");
    }
    this.maxWatches = maxWatches;
    this.expiryGraceMillis = expiryGraceMillis;
  }

  /**
   * Starts watching {@code users} (distinct, validated). The watcher receives each user's snapshot as soon as it is
   * known, then changes.
   *
   * @throws CapacityExhaustedException if this pod holds {@code maxWatches} already
   * @throws RuntimeException the cause the hub was closed with ({@link #closeAll}), e.g. draining
   */
  public Watch watch(List<String> users, Watcher watcher) {
    Watch watch = new Watch(List.copyOf(users), Objects.requireNonNull(watcher, "watcher"));
    List<Topic> fresh = new ArrayList<>();
    CompletionStage<Void> subscribed = null;
    synchronized (this) {
      if (closedWith != null) {
        throw closedWith instanceof RuntimeException ? (RuntimeException) closedWith
            : new IllegalStateException(closedWith);
      }
      if (watches.size() >= maxWatches) {
        throw new CapacityExhaustedException("watch streams: " + watches.size() + " on this server (limit "
            + maxWatches + ")");
      }
      watches.add(watch);
      for (String user : watch.users) {
        Topic topic = topics.get(user);
        if (topic == null) {
          topic = new Topic(user);
          topics.put(user, topic);
          fresh.add(topic);
        }
        topic.add(watch);
      }
      if (!fresh.isEmpty()) {
        List<String> freshUsers = new ArrayList<>(fresh.size());
        fresh.forEach(t -> freshUsers.add(t.userId));
        // Sent under the lock, so that subscribes and unsubscribes reach Redis in the order topics come and go.
        subscribed = feed.subscribe(freshUsers);
      }
    }
    if (subscribed != null) {
      // Handled outside the lock: a stage that already failed runs this at once, and ending watches takes locks.
      subscribed.whenComplete((ok, error) -> {
        for (Topic t : fresh) {
          if (error != null) {
            failTopic(t, error);
          } else {
            t.refresh();
          }
        }
      });
    }
    return watch;
  }

  /** Stops a watch (idempotent); unsubscribes from users nobody on this pod watches any more. */
  public void cancel(Watch watch) {
    synchronized (this) {
      if (!watches.remove(watch)) {
        return;
      }
      List<String> gone = new ArrayList<>();
      for (String user : watch.users) {
        Topic topic = topics.get(user);
        if (topic != null && topic.remove(watch)) {
          topics.remove(user, topic);
          topic.close();
          gone.add(user);
        }
      }
      if (!gone.isEmpty() && closedWith == null) {
        feed.unsubscribe(gone);
      }
    }
  }

  /** A change notification for {@code userId}. */
  public void changed(String userId) {
    Topic topic = topics.get(userId);
    if (topic != null) {
      topic.refresh();
    }
  }

  /** Ends every watch with {@code cause} (the subscription was lost); new watches are taken again. */
  public void endAll(Throwable cause) {
    end(cause, false);
  }

  /** Ends every watch with {@code cause} and refuses new ones with it from now on (draining). */
  public void closeAll(RuntimeException cause) {
    end(cause, true);
  }

  private void end(Throwable cause, boolean close) {
    List<Watch> ended;
    synchronized (this) {
      if (close) {
        closedWith = cause;
      }
      ended = new ArrayList<>(watches);
      watches.clear();
      topics.values().forEach(Topic::close);
      topics.clear();
    }
    for (Watch w : ended) {
      w.watcher.end(cause);
    }
  }

  /** A read of one user failed: every watch of that user ends (clients re-subscribe and get a fresh snapshot). */
  private void failTopic(Topic topic, Throwable cause) {
    List<Watch> ended = new ArrayList<>();
    synchronized (this) {
      if (topics.get(topic.userId) != topic) {
        return;
      }
      for (Watch w : topic.watchersSnapshot()) {
        if (watches.contains(w)) {
          ended.add(w);
        }
      }
    }
    for (Watch w : ended) {
      cancel(w);
      w.watcher.end(cause);
    }
  }

  /** Watch streams open on this pod. */
  public synchronized int watchCount() {
    return watches.size();
  }

  /** Users watched on this pod (one subscription each). */
  public int topicCount() {
    return topics.size();
  }

  /** One watched user on this pod. */
  private final class Topic {
    final String userId;
    private final Set<Watch> watchers = new LinkedHashSet<>();
    private Presence current;
    private boolean reading;
    private boolean readAgain;
    private boolean closed;
    private Runnable cancelExpiryCheck;
    private int failedReads;

    Topic(String userId) {
      this.userId = userId;
    }

    synchronized void add(Watch w) {
      watchers.add(w);
      if (current != null) {
        w.watcher.offer(current);
      }
    }

    /** @return whether no watcher is left */
    synchronized boolean remove(Watch w) {
      watchers.remove(w);
      return watchers.isEmpty();
    }

    synchronized List<Watch> watchersSnapshot() {
      return new ArrayList<>(watchers);
    }

    synchronized void close() {
      closed = true;
      if (cancelExpiryCheck != null) {
        cancelExpiryCheck.run();
        cancelExpiryCheck = null;
      }
    }

    void refresh() {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
      }
      CompletionStage<Snapshot> read;
      try {
        read = source.read(userId);
      } catch (RuntimeException e) {
        onRead(null, e);
        return;
      }
      read.whenComplete(this::onRead);
    }

    private void onRead(Snapshot snapshot, Throwable error) {
      boolean again;
      synchronized (this) {
        reading = false;
        if (closed) {
          return;
        }
        if (error != null && failedReads < READ_RETRIES) {
          // A slow or briefly unreachable Redis: try again soon rather than end every watch of this user.
          // (A Redis that is really gone also drops the subscription, which ends the watches at once.)
          long delay = FIRST_RETRY_MILLIS << failedReads;
          failedReads++;
          if (cancelExpiryCheck != null) {
            cancelExpiryCheck.run();
          }
          cancelExpiryCheck = scheduler.schedule(this::refresh, delay);
          return;
        }
        if (error == null) {
          failedReads = 0;
          Presence p = snapshot.presence();
          boolean changed = current == null || !current.sameReachability(p);
          current = p;
          if (changed) {
            for (Watch w : watchers) {
              w.watcher.offer(p);
            }
          }
          scheduleExpiryCheck(snapshot);
        }
        again = readAgain;
        readAgain = false;
      }
      if (error != null) {
        failTopic(this, error);
      } else if (again) {
        refresh();
      }
    }

    private void scheduleExpiryCheck(Snapshot snapshot) {
      if (cancelExpiryCheck != null) {
        cancelExpiryCheck.run();
        cancelExpiryCheck = null;
      }
      Presence p = snapshot.presence();
      if (p.online()) {
        long delay = Math.max(0, p.earliestExpiryMillis() - snapshot.readAtMillis()) + expiryGraceMillis;
        cancelExpiryCheck = scheduler.schedule(this::refresh, delay);
      }
    }
  }
}
