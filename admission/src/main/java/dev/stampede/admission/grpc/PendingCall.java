package dev.stampede.admission.grpc;

import dev.stampede.admission.Priority;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.queue.Outcome;
import dev.stampede.admission.queue.Permit;
import dev.stampede.admission.queue.Waiter;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call offered to admission. If it has to wait, its {@link #queuedListener()} stands in for the real listener:
 * it holds the transport's events (only {@code onReady} and {@code onCancel} can arrive, since nothing requested a
 * message) until the call is started, then replays them in order; a cancellation while queued withdraws the call.
 */
final class PendingCall<ReqT, RespT> extends Waiter {
  private static final Logger LOG = LoggerFactory.getLogger(PendingCall.class);

  private static final int QUEUED = 0;
  private static final int STARTING = 1;
  private static final int STARTED = 2;
  private static final int REFUSED = 3;
  private static final int ABANDONED = 4;

  private final AdmissionInterceptor interceptor;
  private final AdmissionController controller;
  private final AdmissionInterceptor.MethodState method;
  private final ServerCall<ReqT, RespT> call;
  private final Metadata headers;
  private final ServerCallHandler<ReqT, RespT> next;
  private final Context context;
  private final Executor executor;
  private final long arrivedNanos;

  private final Object lock = new Object();
  private int state = QUEUED;
  private ServerCall.Listener<ReqT> delegate;
  private List<Consumer<ServerCall.Listener<ReqT>>> held;

  PendingCall(AdmissionInterceptor interceptor, AdmissionController controller,
      AdmissionInterceptor.MethodState method, Priority priority, long deadlineNanos, boolean booked,
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next, Context context,
      Executor executor, long arrivedNanos) {
    super(priority, deadlineNanos, method.streaming ? 0 : method.expectedNanos(), booked);
    this.interceptor = interceptor;
    this.controller = controller;
    this.method = method;
    this.call = call;
    this.headers = headers;
    this.next = next;
    this.context = context;
    this.executor = executor;
    this.arrivedNanos = arrivedNanos;
  }

  /** When the call reached admission (the interceptor's ticker). */
  long arrivedNanos() {
    return arrivedNanos;
  }

  AdmissionInterceptor.MethodState method() {
    return method;
  }

  ServerCall<ReqT, RespT> call() {
    return call;
  }

  Metadata headers() {
    return headers;
  }

  ServerCallHandler<ReqT, RespT> next() {
    return next;
  }

  Context context() {
    return context;
  }

  ServerCall.Listener<ReqT> queuedListener() {
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(ReqT message) {
        deliver(l -> l.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        deliver(ServerCall.Listener::onHalfClose);
      }

      @Override
      public void onCancel() {
        cancelled();
      }

      @Override
      public void onComplete() {
        deliver(ServerCall.Listener::onComplete);
      }

      @Override
      public void onReady() {
        deliver(ServerCall.Listener::onReady);
      }
    };
  }

  @Override
  protected void admitted(Permit permit, long queuedNanos) {
    synchronized (lock) {
      if (state != QUEUED) {
        permit.release(Outcome.IGNORED);
        return;
      }
      state = STARTING;
    }
    method.metrics.admitted(priority(), queuedNanos);
    executor.execute(() -> start(permit));
  }

  @Override
  protected void held(long slotInNanos) {
    method.metrics.held(priority());
  }

  @Override
  protected void rejected(RejectReason reason, long queuedNanos) {
    synchronized (lock) {
      if (state != QUEUED) {
        return;
      }
      state = REFUSED;
      held = null;
    }
    interceptor.refuse(call, method, priority(), reason, executor);
  }

  private void start(Permit permit) {
    ServerCall.Listener<ReqT> listener;
    try {
      listener = interceptor.start(this, permit);
    } catch (RuntimeException e) {
      LOG.error("starting an admitted call failed", e);
      call.close(Status.INTERNAL.withDescription("internal error"), new Metadata());
      listener = new ServerCall.Listener<>() {};
    }
    while (true) {
      List<Consumer<ServerCall.Listener<ReqT>>> batch;
      synchronized (lock) {
        if (held == null || held.isEmpty()) {
          delegate = listener;
          state = STARTED;
          return;
        }
        batch = held;
        held = null;
      }
      for (Consumer<ServerCall.Listener<ReqT>> event : batch) {
        event.accept(listener);
      }
    }
  }

  private void cancelled() {
    boolean withdraw;
    synchronized (lock) {
      withdraw = state == QUEUED;
      if (withdraw) {
        state = ABANDONED;
      }
    }
    if (withdraw) {
      // If the controller already handed out a permit, admitted() sees ABANDONED and returns it.
      controller.cancel(this);
      method.metrics.abandoned(priority());
    } else {
      deliver(ServerCall.Listener::onCancel);
    }
  }

  private void deliver(Consumer<ServerCall.Listener<ReqT>> event) {
    ServerCall.Listener<ReqT> d;
    synchronized (lock) {
      if (state == REFUSED || state == ABANDONED) {
        return;
      }
      if (delegate == null) {
        if (held == null) {
          held = new ArrayList<>(2);
        }
        held.add(event);
        return;
      }
      d = delegate;
    }
    event.accept(d);
  }
}
