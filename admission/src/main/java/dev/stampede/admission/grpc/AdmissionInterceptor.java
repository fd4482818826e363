package dev.stampede.admission.grpc;

import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.MethodPolicy;
import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.calendar.RetryCalendar;
import dev.stampede.admission.metrics.AdmissionMetrics;
import dev.stampede.admission.metrics.MethodMetrics;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.queue.Permit;
import dev.stampede.admission.queue.Waiter;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The gRPC edge of admission control. Place it first in the chain (outermost), so refused calls cost as little as
 * possible. For each call it:
 *
 * <ol>
 *   <li>looks up the method's {@link MethodPolicy} (bypassed methods go straight through) and lowers the priority if
 *       the client asked with the {@code stampede-priority} header;</li>
 *   <li>offers the call to the {@link AdmissionController}: unary calls to the adaptive one, streaming calls to the
 *       stream controller (a fixed number of open streams; a stream holds its permit for its whole life and never
 *       feeds the adaptive limit);</li>
 *   <li>starts an admitted call at once; a queued call is started later through the {@link CallDispatcher}; a refused
 *       call is closed with the overload answer ({@code RESOURCE_EXHAUSTED}, {@code google.rpc.RetryInfo},
 *       {@code google.rpc.ErrorInfo}, {@code grpc-retry-pushback-ms}; the delay is a retry-calendar slot, and the
 *       {@code stampede-retry-booking} trailer books it).</li>
 * </ol>
 *
 * <p>A call that presents a due booking of this server ({@link RetryBookings}) in its headers waits in the booked
 * lane of its priority: the server keeps the appointment it made, rather than refuse the caller a second time.
 *
 * <p>Until a call is started, nothing downstream runs and nobody calls {@link ServerCall#request}, so the request
 * message of a queued or refused call is never read from the transport nor parsed. The permit is released when the
 * call is closed (its status decides what the limit learns, see {@code Outcome.of}) or cancelled.
 *
 * <p>Thread-safe; one instance serves every call of a server.
 */
public final class AdmissionInterceptor implements ServerInterceptor {
  /** The request header with which a client lowers its priority. */
  public static final Metadata.Key<String> PRIORITY_KEY =
      Metadata.Key.of(Priority.HEADER, Metadata.ASCII_STRING_MARSHALLER);
  /** Weight of a new sample in a method's expected service time. */
  private static final double SERVICE_TIME_ALPHA = 0.1;
  /**
   * Each refusal for a too-short deadline shrinks the expected service time by this factor: refused calls never
   * produce a sample, so a stale estimate (a slow cold start, a past incident) would otherwise refuse every call
   * forever. Calls let through by the shrinking estimate measure the real service time again.
   */
  private static final double SERVICE_TIME_DECAY = 0.95;

  private final AdmissionController calls;
  private final AdmissionController streams;
  private final MethodPolicies policies;
  private final AdmissionMetrics metrics;
  private final RetryCalendar calendar;
  private final ErrorMapper errors;
  private final CallDispatcher dispatcher;
  private final LongSupplier ticker;
  private final Map<String, MethodState> methods = new ConcurrentHashMap<>();

  /**
   * @param calls the adaptive controller for unary calls
   * @param streams the controller for streaming calls (a fixed limit, usually without a queue)
   */
  public AdmissionInterceptor(AdmissionController calls, AdmissionController streams, MethodPolicies policies,
      AdmissionMetrics metrics, RetryCalendar calendar, ErrorMapper errors, CallDispatcher dispatcher) {
    this.calls = Objects.requireNonNull(calls, "calls");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.ticker = calls.ticker();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    MethodState m = method(call.getMethodDescriptor());
    if (m.policy.bypass()) {
      return next.startCall(call, headers);
    }
    Priority priority = m.policy.priority().lowerTo(headers.get(PRIORITY_KEY));
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    long arrived = ticker.getAsLong();
    long deadlineNanos = deadline == null
        ? Waiter.NO_DEADLINE
        : arrived + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    AdmissionController controller = m.streaming ? streams : calls;
    RetryBookings bookings = errors.bookings();
    boolean booked = bookings != null && bookings.honoured(headers.get(RetryBookings.KEY));
    PendingCall<ReqT, RespT> pending = new PendingCall<>(this, controller, m, priority, deadlineNanos, booked, call,
        headers, next, context, dispatcher.capture(), arrived);
    switch (controller.offer(pending)) {
      case ADMITTED:
        m.metrics.admitted(priority, 0);
        return start(pending, pending.permit());
      case QUEUED:
        return pending.queuedListener();
      case REJECTED:
      default:
        refuse(call, m, priority, pending.rejection(), null);
        return new ServerCall.Listener<>() {};
    }
  }

  /** Starts an admitted call: wraps it so the permit is released when it ends. */
  <ReqT, RespT> ServerCall.Listener<ReqT> start(PendingCall<ReqT, RespT> pending, Permit permit) {
    MethodState m = pending.method();
    AdmittedCall<ReqT, RespT> admitted = new AdmittedCall<>(pending.call(), permit, m, ticker);
    Context context = AdmissionContext.attachTo(pending.context(), m.name, pending.priority(),
        ticker.getAsLong() - pending.arrivedNanos());
    try {
      ServerCall.Listener<ReqT> listener = Contexts.interceptCall(context, admitted, pending.headers(),
          pending.next());
      return new AdmittedCall.Listener<>(listener, admitted);
    } catch (RuntimeException | Error e) {
      permit.release(dev.stampede.admission.queue.Outcome.IGNORED);
      throw e;
    }
  }

  /** Closes a refused call with the overload answer; {@code executor} null = on this thread. */
  void refuse(ServerCall<?, ?> call, MethodState m, Priority priority, RejectReason reason, Executor executor) {
    m.metrics.rejected(priority, reason);
    if (reason == RejectReason.DEADLINE_TOO_SHORT) {
      m.decayServiceTime();
    }
    CompletionStage<Long> delay = calendar.bookAsync();
    CompletableFuture<Long> done = delay.toCompletableFuture();
    if (done.isDone() && executor == null) {
      close(call, reason, done.join());
    } else {
      delay.thenAccept(d -> {
        if (executor == null) {
          close(call, reason, d);
        } else {
          executor.execute(() -> close(call, reason, d));
        }
      });
    }
  }

  private void close(ServerCall<?, ?> call, RejectReason reason, long delayMillis) {
    StatusRuntimeException answer = errors.overload(reason, delayMillis);
    call.close(answer.getStatus(), answer.getTrailers());
  }

  private MethodState method(MethodDescriptor<?, ?> descriptor) {
    String name = descriptor.getFullMethodName();
    MethodState m = methods.get(name);
    if (m == null) {
      m = methods.computeIfAbsent(name, n -> new MethodState(n, policies.policyFor(n),
          !descriptor.getType().clientSendsOneMessage() || !descriptor.getType().serverSendsOneMessage(),
          metrics.method(n)));
    }
    return m;
  }

  /** The expected service time of {@code fullMethodName} in nanoseconds (0 before any sample). */
  public long expectedServiceNanos(String fullMethodName) {
    MethodState m = methods.get(fullMethodName);
    return m == null ? 0 : m.expectedNanos();
  }

  /** Per-method state: policy, meters, expected service time. */
  static final class MethodState {
    final String name;
    final MethodPolicy policy;
    final boolean streaming;
    final MethodMetrics metrics;
    private volatile double expectedNanos;

    MethodState(String name, MethodPolicy policy, boolean streaming, MethodMetrics metrics) {
      this.name = name;
      this.policy = policy;
      this.streaming = streaming;
      this.metrics = metrics;
    }

    long expectedNanos() {
      return (long) expectedNanos;
    }

    void decayServiceTime() {
      expectedNanos = expectedNanos * SERVICE_TIME_DECAY;
    }

    void recordServiceTime(long nanos) {
      double e = expectedNanos;
      // A racy EWMA: a lost update among concurrent completions changes nothing that matters.
      expectedNanos = e == 0 ? nanos : e + SERVICE_TIME_ALPHA * (nanos - e);
    }
  }
}
