package dev.stampede.admission.budget;

import dev.stampede.admission.metrics.AdmissionMetrics;
import dev.stampede.admission.redis.RedisScript;
import dev.stampede.admission.redis.SharedRedis;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link Budget}s backed by one GCRA Lua script ({@code lua/gcra.lua}: {@code EVALSHA}, Redis {@code TIME},
 * reloaded on {@code NOSCRIPT}) on the {@link SharedRedis} connection. Keys are
 * {@code stampede:budget:<name>:{<id>}} — the id is the hash tag, so a per-user id such as {@code u:42} lands in the
 * same cluster slot as that user's other keys. Thread-safe.
 */
public final class Budgets {
  private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
  static final int MAX_ID_LENGTH = 200;
  static final int LOCAL_MAX_KEYS = 100_000;

  private static final RedisScript GCRA = RedisScript.fromResource(Budgets.class, "lua/gcra.lua");

  private final SharedRedis redis;
  private final AdmissionMetrics metrics;
  private final boolean enabled;
  private final LongSupplier ticker;
  private final long timeoutNanos;
  private final AtomicBoolean failingOpen = new AtomicBoolean();

  /**
   * @param redis the shared connection (null: always local)
   * @param enabled false = admission off: everything allowed, Redis untouched
   * @param timeout how long to wait for Redis before deciding locally
   */
  public Budgets(SharedRedis redis, AdmissionMetrics metrics, boolean enabled, LongSupplier ticker,
      Duration timeout) {
    this.redis = redis;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.enabled = enabled;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * A budget of {@code ratePerSecond} with bursts of {@code burst}.
   *
   * @throws IllegalArgumentException for a bad name, a rate {@code <= 0} or a burst {@code < 1}
   */
  public Budget budget(String name, double ratePerSecond, int burst) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("budget name: '" + name + "' (expected: [a-z0-9._-], 1..64 characters)");
    }
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException(name + ".rate: " + ratePerSecond + " (expected: > 0)");
    }
    if (burst < 1) {
      throw new IllegalArgumentException(name + ".burst: " + burst + " (expected: >= 1)");
    }
    long interval = Math.max(1, Math.round(1_000_000 / ratePerSecond));
    return new GcraBudget(name, interval, interval * (burst - 1));
  }

  /** The GCRA script (for tests and tools). */
  public static RedisScript script() {
    return GCRA;
  }

  private final class GcraBudget implements Budget {
    private final String name;
    private final long intervalMicros;
    private final long tauMicros;
    private final LocalGcra local = new LocalGcra(ticker, LOCAL_MAX_KEYS);

    GcraBudget(String name, long intervalMicros, long tauMicros) {
      this.name = name;
      this.intervalMicros = intervalMicros;
      this.tauMicros = tauMicros;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletionStage<BudgetDecision> check(String id) {
      return decide(id, 1, false);
    }

    @Override
    public CompletionStage<BudgetDecision> consume(String id, int cost) {
      if (cost < 1) {
        throw new IllegalArgumentException("cost: " + cost + " (expected: >= 1)");
      }
      return decide(id, cost, true);
    }

    private CompletionStage<BudgetDecision> decide(String id, int cost, boolean consume) {
      String key = key(id);
      if (!enabled) {
        return CompletableFuture.completedFuture(new BudgetDecision(true, 0, Long.MAX_VALUE, true));
      }
      if (redis == null) {
        return CompletableFuture.completedFuture(record(local.decide(key, intervalMicros, tauMicros, cost, consume)));
      }
      CompletableFuture<List<Object>> reply;
      try {
        reply = GCRA.eval(redis.async(), ScriptOutputType.MULTI, new String[] {key},
            Long.toString(intervalMicros), Long.toString(tauMicros), Integer.toString(cost), consume ? "1" : "0");
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      return reply
          .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
          .handle((r, e) -> {
            if (e == null) {
              if (failingOpen.compareAndSet(true, false)) {
                LOG.info("budgets: Redis is back; budgets are cluster-wide again");
              }
              return record(new BudgetDecision(((Long) r.get(0)) == 1, (Long) r.get(1), (Long) r.get(2), false));
            }
            if (failingOpen.compareAndSet(false, true)) {
              LOG.warn("budgets: Redis unavailable ({}); failing open to a per-process limiter", e.toString());
            }
            return record(local.decide(key, intervalMicros, tauMicros, cost, consume));
          });
    }

    private BudgetDecision record(BudgetDecision d) {
      metrics.budget(name, d.allowed(), d.local());
      return d;
    }

    private String key(String id) {
      if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.indexOf('{') >= 0
          || id.indexOf('}') >= 0) {
        throw new IllegalArgumentException(
            "budget id: (expected: 1.." + MAX_ID_LENGTH + " characters without braces)");
      }
      return "stampede:budget:" + name + ":{" + id + "}";
    }

    @Override
    public String toString() {
      return "Budget[" + name + " every " + intervalMicros + "us, tolerance " + tauMicros + "us]";
    }
  }
}
