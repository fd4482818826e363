package dev.stampede.admission.calendar;

import dev.stampede.admission.redis.RedisScript;
import dev.stampede.admission.redis.SharedRedis;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retry calendar shared by every replica of a service through Redis ({@code lua/calendar.lua}, one round trip on
 * Redis' clock): each replica registers its per-slot budget, a slot's budget is their sum, and bookings from all
 * replicas fill the same slots — so the whole fleet hands out no more returns per slot than it can serve.
 *
 * <p>It never makes a refusal slow or fragile: a booking that Redis does not answer within {@code timeout}, any
 * error, more than {@value #MAX_IN_FLIGHT} bookings in flight, or a back-off period after a failure all fall back to
 * the local calendar. Thread-safe.
 */
public final class ClusterRetryCalendar implements RetryCalendar {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRetryCalendar.class);
  /** Bound on concurrent bookings in Redis; beyond it refusals book locally (Redis is not the bottleneck). */
  static final int MAX_IN_FLIGHT = 64;
  private static final long BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();
  /** A replica's budget counts this long without a refresh. */
  private static final long MEMBER_TTL_MS = 5_000;

  private static final RedisScript SCRIPT = RedisScript.fromResource(ClusterRetryCalendar.class, "lua/calendar.lua");

  private final SharedRedis redis;
  private final RetryCalendar fallback;
  private final LocalRetryCalendar local;
  private final String[] keys;
  private final String member = UUID.randomUUID().toString();
  private final long timeoutNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean degraded = new AtomicBoolean();
  private volatile long retryAtNanos;

  /**
   * @param service the service whose replicas share the calendar (part of the Redis keys)
   * @param fallback where bookings go when Redis cannot take them
   * @param local the local calendar whose slot width, horizon and budget this replica contributes
   */
  public ClusterRetryCalendar(SharedRedis redis, String service, RetryCalendar fallback, LocalRetryCalendar local,
      Duration timeout) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.local = Objects.requireNonNull(local, "local");
    String tag = "{stampede:calendar:" + service + "}";
    this.keys = new String[] {tag + ":slots", tag + ":replicas"};
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public long bookMillis() {
    return fallback.bookMillis();
  }

  @Override
  public CompletionStage<Long> bookAsync() {
    if (System.nanoTime() - retryAtNanos < 0) {
      return CompletableFuture.completedFuture(fallback.bookMillis());
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      return CompletableFuture.completedFuture(fallback.bookMillis());
    }
    long slotMs = local.slotNanos() / 1_000_000;
    CompletableFuture<List<Long>> reply;
    try {
      reply = SCRIPT.eval(redis.async(), ScriptOutputType.MULTI, keys,
          member, Integer.toString(local.budget()), Long.toString(slotMs),
          Long.toString(Math.max(0, local.minDelayNanos() / 1_000_000)),
          Long.toString(local.slots()), Long.toString(MEMBER_TTL_MS));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((r, e) -> {
      inFlight.decrementAndGet();
      if (e != null) {
        retryAtNanos = System.nanoTime() + BACKOFF_NANOS;
        if (degraded.compareAndSet(false, true)) {
          LOG.warn("retry calendar: Redis unavailable ({}); booking locally", e.toString());
        }
        return fallback.bookMillis();
      }
      if (degraded.compareAndSet(true, false)) {
        LOG.info("retry calendar: shared through Redis again");
      }
      long delay = r.get(0);
      if (delay < 0) {
        delay = local.slots() * slotMs; // full to the horizon: hand out the horizon, book nothing
      }
      return Math.max(1, delay + ThreadLocalRandom.current().nextLong(Math.max(1, slotMs)));
    });
  }

  @Override
  public double horizonSeconds() {
    return fallback.horizonSeconds();
  }

  /** The shared calendar's script (for tests). */
  public static RedisScript script() {
    return SCRIPT;
  }
}
