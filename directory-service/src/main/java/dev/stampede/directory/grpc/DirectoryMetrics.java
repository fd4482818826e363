package dev.stampede.directory.grpc;

import dev.stampede.directory.domain.WatchBacklog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The directory's own metrics (Prometheus names; per-method call counts and latencies come from the Quarkus gRPC
 * server binder):
 *
 * <ul>
 *   <li>{@code stampede_directory_watch_streams} — open Watch streams on this pod</li>
 *   <li>{@code stampede_directory_watch_users} — distinct users watched on this pod (one subscription each)</li>
 *   <li>{@code stampede_directory_watch_pending_events} — events waiting for slow watchers (≤ watched users per
 *       stream)</li>
 *   <li>{@code stampede_directory_watch_events_total{outcome="sent"|"coalesced"}}</li>
 *   <li>{@code stampede_directory_redis_connected} — 1 while the command connection is up</li>
 *   <li>{@code stampede_directory_token_rejected_total{reason}} (see {@link SessionAuthenticator})</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class DirectoryMetrics {
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong pending = new AtomicLong();
  private final Counter sent;
  private final Counter coalesced;
  private final WatchBacklog.Stats backlogStats;
  private final MeterRegistry registry;
  private volatile Supplier<Number> watchedUsers = () -> 0;
  private volatile Supplier<Boolean> redisConnected = () -> false;

  public DirectoryMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("stampede_directory_watch_streams", streams, AtomicInteger::get)
        .description("Open Watch streams on this pod").register(registry);
    Gauge.builder("stampede_directory_watch_pending_events", pending, AtomicLong::get)
        .description("Watch events waiting for slow watchers").register(registry);
    sent = Counter.builder("stampede_directory_watch_events_total").tag("outcome", "sent")
        .description("Watch events sent, or replaced by a newer one for a slow watcher").register(registry);
    coalesced = Counter.builder("stampede_directory_watch_events_total").tag("outcome", "coalesced")
        .description("Watch events sent, or replaced by a newer one for a slow watcher").register(registry);
    backlogStats = new WatchBacklog.Stats() {
      @Override
      public void pendingChanged(int delta) {
        pending.addAndGet(delta);
      }

      @Override
      public void coalesced() {
        coalesced.increment();
      }
    };
  }

  /** Registers a gauge of the users watched on this pod. */
  public void watchedUsers(Supplier<Number> count) {
    // Micrometer holds gauge state weakly: keep the supplier reachable from this (singleton) object.
    watchedUsers = count;
    Gauge.builder("stampede_directory_watch_users", this, m -> m.watchedUsers.get().doubleValue())
        .description("Distinct users watched on this pod").register(registry);
  }

  /** Registers a gauge of the Redis command connection's state. */
  public void redisConnected(Supplier<Boolean> connected) {
    redisConnected = connected;
    Gauge.builder("stampede_directory_redis_connected", this, m -> m.redisConnected.get() ? 1 : 0)
        .description("1 while the Redis command connection is up").register(registry);
  }

  WatchBacklog.Stats backlogStats() {
    return backlogStats;
  }

  void watchOpened() {
    streams.incrementAndGet();
  }

  void watchClosed() {
    streams.decrementAndGet();
  }

  void watchEventSent() {
    sent.increment();
  }

  /** Events waiting for slow watchers now (for tests and the README's claim). */
  public long pendingEvents() {
    return pending.get();
  }

  /** Events replaced by newer ones so far. */
  public double coalescedEvents() {
    return coalesced.count();
  }

  /** Open Watch streams now. */
  public int watchStreams() {
    return streams.get();
  }
}
