package dev.stampede.admission.grpc;

import dev.stampede.admission.Priority;
import io.grpc.Context;

/**
 * What admission decided about the current call, attached to its {@link Context} while it runs: the method and the
 * effective priority (after the client's {@code stampede-priority} header). Worker pools use it to order and label
 * their tasks; services may read it. Immutable.
 */
public final class AdmissionContext {
  static final Context.Key<AdmissionContext> KEY = Context.key("stampede-admission");

  private final String method;
  private final Priority priority;

  AdmissionContext(String method, Priority priority) {
    this.method = method;
    this.priority = priority;
  }

  /** The admission context of the call running on this thread, or null outside an admitted call. */
  public static AdmissionContext current() {
    return KEY.get();
  }

  /** A context value for tests and for work started outside a gRPC call. */
  public static Context attachTo(Context context, String method, Priority priority) {
    return context.withValue(KEY, new AdmissionContext(method, priority));
  }

  /** The full method name, {@code package.Service/Method}. */
  public String method() {
    return method;
  }

  public Priority priority() {
    return priority;
  }

  @Override
  public String toString() {
    return method + " at " + priority.label();
  }
}
