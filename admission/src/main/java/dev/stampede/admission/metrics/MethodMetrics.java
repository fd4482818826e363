package dev.stampede.admission.metrics;

import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The admission meters of one method, created on first use per priority and reason and cached, so the hot path
 * costs an array read and an increment. Thread-safe (a racy cache of meters the registry deduplicates).
 */
public final class MethodMetrics {
  private static final int P = Priority.values().length;
  private static final int R = RejectReason.values().length;

  private final MeterRegistry registry;
  private final String service;
  private final String method;
  private final Counter[] admitted = new Counter[P];
  private final Counter[] abandoned = new Counter[P];
  private final Counter[] held = new Counter[P];
  private final Counter[] rejected = new Counter[P * R];
  private final Timer[] queueTime = new Timer[P];

  MethodMetrics(MeterRegistry registry, String service, String method) {
    this.registry = registry;
    this.service = service;
    this.method = method;
  }

  /** One call admitted after waiting {@code queuedNanos} (0 if admitted at once). */
  public void admitted(Priority p, long queuedNanos) {
    int i = p.ordinal();
    Counter c = admitted[i];
    if (c == null) {
      c = admitted[i] = Counter.builder(AdmissionMetrics.ADMITTED)
          .tags("service", service, "method", method, "priority", p.label())
          .description("Calls admitted")
          .register(registry);
    }
    c.increment();
    Timer t = queueTime[i];
    if (t == null) {
      t = queueTime[i] = Timer.builder(AdmissionMetrics.QUEUE_TIME)
          .tags("service", service, "method", method, "priority", p.label())
          .description("Time admitted calls waited in the admission queue")
          .serviceLevelObjectives(AdmissionMetrics.QUEUE_BUCKETS)
          .register(registry);
    }
    t.record(queuedNanos, TimeUnit.NANOSECONDS);
  }

  /** One call refused for {@code reason}. */
  public void rejected(Priority p, RejectReason reason) {
    int i = p.ordinal() * R + reason.ordinal();
    Counter c = rejected[i];
    if (c == null) {
      c = rejected[i] = Counter.builder(AdmissionMetrics.REJECTED)
          .tags("service", service, "method", method, "priority", p.label(), "reason", reason.label())
          .description("Calls refused by admission control, before any work")
          .register(registry);
    }
    c.increment();
  }

  /** One queued call held for a retry slot instead of being refused. */
  public void held(Priority p) {
    int i = p.ordinal();
    Counter c = held[i];
    if (c == null) {
      c = held[i] = Counter.builder(AdmissionMetrics.HELD)
          .tags("service", service, "method", method, "priority", p.label())
          .description("Queued calls held for a retry slot instead of being refused")
          .register(registry);
    }
    c.increment();
  }

  /** One queued call whose client went away before it was admitted. */
  public void abandoned(Priority p) {
    int i = p.ordinal();
    Counter c = abandoned[i];
    if (c == null) {
      c = abandoned[i] = Counter.builder(AdmissionMetrics.ABANDONED)
          .tags("service", service, "method", method, "priority", p.label())
          .description("Queued calls cancelled by their client before admission")
          .register(registry);
    }
    c.increment();
  }
}
