package dev.stampede.admission.metrics;

import dev.stampede.admission.calendar.RetryCalendar;
import dev.stampede.admission.queue.AdmissionController;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The Micrometer meters of admission control, named so that the Prometheus registry exposes exactly the names the
 * experiment runner reads (issue 3, item 9):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Prometheus name</th><th>type</th><th>labels</th></tr>
 *   <tr><td>{@code stampede_admission_limit}</td><td>gauge</td><td>service</td></tr>
 *   <tr><td>{@code stampede_admission_inflight}</td><td>gauge</td><td>service</td></tr>
 *   <tr><td>{@code stampede_admission_queue_length}</td><td>gauge</td><td>service</td></tr>
 *   <tr><td>{@code stampede_admission_queue_seconds}</td><td>timer (_count, _sum, _max, _bucket)</td>
 *       <td>service, method, priority</td></tr>
 *   <tr><td>{@code stampede_admission_admitted_total}</td><td>counter</td><td>service, method, priority</td></tr>
 *   <tr><td>{@code stampede_admission_rejected_total}</td><td>counter</td>
 *       <td>service, method, priority, reason</td></tr>
 *   <tr><td>{@code stampede_admission_abandoned_total}</td><td>counter</td><td>service, method, priority</td></tr>
 *   <tr><td>{@code stampede_admission_held_total}</td><td>counter</td><td>service, method, priority</td></tr>
 *   <tr><td>{@code stampede_admission_calendar_horizon_seconds}</td><td>gauge</td><td>service</td></tr>
 *   <tr><td>{@code stampede_admission_streams_limit}, {@code _streams_inflight}</td><td>gauge</td><td>service</td></tr>
 *   <tr><td>{@code stampede_admission_pool_queue_length}, {@code _pool_active}</td><td>gauge</td>
 *       <td>service, pool</td></tr>
 *   <tr><td>{@code stampede_admission_budget_total}</td><td>counter</td><td>service, budget, result, source</td></tr>
 *   <tr><td>{@code stampede_admission_enabled}</td><td>gauge (1 or 0)</td><td>service</td></tr>
 * </table>
 *
 * <p>Queue time is recorded for every admitted call (0 for calls admitted at once). Thread-safe.
 */
public final class AdmissionMetrics {
  public static final String LIMIT = "stampede.admission.limit";
  public static final String INFLIGHT = "stampede.admission.inflight";
  public static final String QUEUE_LENGTH = "stampede.admission.queue.length";
  public static final String QUEUE_TIME = "stampede.admission.queue";
  public static final String ADMITTED = "stampede.admission.admitted";
  public static final String REJECTED = "stampede.admission.rejected";
  public static final String ABANDONED = "stampede.admission.abandoned";
  public static final String HELD = "stampede.admission.held";
  public static final String CALENDAR_HORIZON = "stampede.admission.calendar.horizon";
  public static final String STREAMS_LIMIT = "stampede.admission.streams.limit";
  public static final String STREAMS_INFLIGHT = "stampede.admission.streams.inflight";
  public static final String POOL_QUEUE_LENGTH = "stampede.admission.pool.queue.length";
  public static final String POOL_ACTIVE = "stampede.admission.pool.active";
  public static final String BUDGET = "stampede.admission.budget";
  public static final String ENABLED = "stampede.admission.enabled";

  /** Histogram buckets of queue time: around the CoDel target and the queue-time bounds. */
  static final Duration[] QUEUE_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1),
  };

  private final MeterRegistry registry;
  private final String service;
  private final Map<String, MethodMetrics> methods = new ConcurrentHashMap<>();
  private final Map<String, Counter> budgets = new ConcurrentHashMap<>();

  public AdmissionMetrics(MeterRegistry registry, String service) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.service = Objects.requireNonNull(service, "service");
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String service() {
    return service;
  }

  /** Registers the gauges of a server's controllers and calendar. */
  public void bind(boolean enabled, AdmissionController calls, AdmissionController streams, RetryCalendar calendar) {
    Tags tags = Tags.of("service", service);
    gauge(ENABLED, tags, () -> enabled ? 1 : 0, null);
    if (calls != null) {
      gauge(LIMIT, tags, calls::limit, null);
      gauge(INFLIGHT, tags, calls::inflight, null);
      gauge(QUEUE_LENGTH, tags, calls::queued, null);
    }
    if (streams != null) {
      gauge(STREAMS_LIMIT, tags, streams::limit, null);
      gauge(STREAMS_INFLIGHT, tags, streams::inflight, null);
    }
    if (calendar != null) {
      Gauge.builder(CALENDAR_HORIZON, calendar, RetryCalendar::horizonSeconds)
          .tags(tags).baseUnit("seconds").strongReference(true)
          .description("How far ahead the first retry-calendar slot with room lies")
          .register(registry);
    }
  }

  /** Registers the gauges of a worker pool. */
  public void bindPool(String pool, IntSupplier queued, IntSupplier active) {
    Tags tags = Tags.of("service", service, "pool", pool);
    gauge(POOL_QUEUE_LENGTH, tags, queued, "Tasks waiting for a worker");
    gauge(POOL_ACTIVE, tags, active, "Tasks running or admitted to run");
  }

  /** The meters of one gRPC method (or pseudo-method such as a pool name). */
  public MethodMetrics method(String fullMethodName) {
    return methods.computeIfAbsent(fullMethodName, m -> new MethodMetrics(registry, service, m));
  }

  /** Counts one budget decision. */
  public void budget(String budget, boolean allowed, boolean local) {
    String key = budget + (allowed ? "|a" : "|d") + (local ? "|l" : "|r");
    budgets.computeIfAbsent(key, k -> Counter.builder(BUDGET)
        .tags("service", service, "budget", budget, "result", allowed ? "allowed" : "denied",
            "source", local ? "local" : "redis")
        .description("Budget decisions (GCRA); source=local while Redis is unavailable")
        .register(registry)).increment();
  }

  private void gauge(String name, Tags tags, IntSupplier value, String description) {
    Gauge.builder(name, value, v -> v.getAsInt())
        .tags(tags)
        .description(description)
        .strongReference(true)
        .register(registry);
  }
}
