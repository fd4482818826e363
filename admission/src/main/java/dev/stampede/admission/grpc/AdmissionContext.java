package dev.stampede.admission.grpc;

import dev.stampede.admission.Priority;
import io.grpc.Context;

/**
 * What admission decided about the current call, attached to its {@link Context} while it runs: the method, the
 * effective priority (after the client's {@code stampede-priority} header) and how long the call waited for its
 * permit. Worker pools use it to order and label their tasks; services may read it. Immutable.
 */
public final class AdmissionContext {
  static final Context.Key<AdmissionContext> KEY = Context.key("stampede-admission");

  private final String method;
  private final Priority priority;
  private final long queuedNanos;

  private AdmissionContext(String method, Priority priority, long queuedNanos) {
    this.method = method;
    this.priority = priority;
    this.queuedNanos = Math.max(0, queuedNanos);
  }

  /** The admission context of the call running on this thread, or null outside an admitted call. */
  public static AdmissionContext current() {
    return KEY.get();
  }

  /** A context value for tests and for work started outside a gRPC call. */
  public static Context attachTo(Context context, String method, Priority priority) {
    return attachTo(context, method, priority, 0);
  }

  /** The context an admitted call runs in: it waited {@code queuedNanos} for its permit. */
  static Context attachTo(Context context, String method, Priority priority, long queuedNanos) {
    return context.withValue(KEY, new AdmissionContext(method, priority, queuedNanos));
  }

  /** The full method name, {@code package.Service/Method}. */
  public String method() {
    return method;
  }

  public Priority priority() {
    return priority;
  }

  /** How long the call waited between reaching admission and starting (0 when admitted at once, give or take). */
  public long queuedNanos() {
    return queuedNanos;
  }

  @Override
  public String toString() {
    return method + " at " + priority.label();
  }
}
