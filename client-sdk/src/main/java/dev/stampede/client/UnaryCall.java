package dev.stampede.client;

import dev.stampede.client.observe.AttemptEvent;
import dev.stampede.client.observe.CallEvent;
import dev.stampede.client.observe.ClientEventListener;
import dev.stampede.client.observe.LocalRejectionEvent;
import dev.stampede.client.observe.RetryEvent;
import dev.stampede.client.retry.AttemptFailure;
import dev.stampede.client.retry.Pushback;
import dev.stampede.client.retry.RetryDecision;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.time.TimeSource;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One unary call with its attempts: admits each through the policy, sends it (waiting for READY unless told
 * otherwise), and on failure waits what the policy decided — never past the deadline — before the next.
 *
 * <p>Holds no thread: attempts are started from the caller, from gRPC callbacks and from timers. At most one
 * attempt is in flight; cancelling {@link #result} cancels it and any pending retry.
 */
final class UnaryCall<Q, R> {
  private final Channel channel;
  private final String service;
  private final MethodDescriptor<Q, R> method;
  private final String methodName;
  private final Q request;
  private final CallSettings settings;
  private final boolean waitForReady;
  private final RetryPolicy policy;
  private final Context context;
  private final TimeSource time;
  private final ClientEventListener events;
  private final long startNanos;
  private final long deadlineNanos;
  final CompletableFuture<R> result = new CompletableFuture<>();

  private int attempts;
  private boolean serverScheduledNext;
  private String bookingNext;
  private AttemptFailure lastFailure;
  private ClientCall<Q, R> inFlight;
  private ScheduledFuture<?> retryTimer;

  UnaryCall(Channel channel, Service service, MethodDescriptor<Q, R> method, Q request, CallSettings settings,
      long deadlineNanos, boolean waitForReady, RetryPolicy policy, Context context, TimeSource time,
      ClientEventListener events) {
    this.channel = channel;
    this.service = service.label();
    this.method = method;
    this.methodName = method.getBareMethodName();
    this.request = request;
    this.settings = settings;
    this.waitForReady = waitForReady;
    this.policy = policy;
    this.context = context;
    this.time = time;
    this.events = events;
    this.serverScheduledNext = settings.scheduledByServer();
    this.bookingNext = settings.retryBooking();
    this.startNanos = time.nanoTime();
    this.deadlineNanos = startNanos + deadlineNanos;
  }

  void start() {
    // However the call ends (cancelled by the caller, aborted by close()), nothing of it may stay in flight.
    result.whenComplete((r, t) -> {
      if (result.isCancelled()) {
        int sent;
        synchronized (this) {
          sent = attempts;
        }
        finish(sent, Status.Code.CANCELLED, true);
      }
      cancelInFlight();
    });
    attempt();
  }

  private void attempt() {
    long now = time.nanoTime();
    int number;
    boolean serverScheduled;
    String booking;
    synchronized (this) {
      retryTimer = null;
      if (result.isDone()) {
        return;
      }
      number = attempts + 1;
      serverScheduled = serverScheduledNext;
      booking = bookingNext;
    }
    long remaining = deadlineNanos - now;
    if (remaining <= 0) {
      failLocally(Status.DEADLINE_EXCEEDED.withDescription(
          "deadline exceeded before attempt " + number + " of " + methodName), RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
      return;
    }
    if (!policy.admit(number, serverScheduled, now)) {
      emit(() -> events.onLocalRejection(
          new LocalRejectionEvent(service, methodName, number, LocalRejectionEvent.Reason.THROTTLED)));
      failLocally(Status.RESOURCE_EXHAUSTED.withDescription(
          "rejected locally by adaptive throttling: " + service + " rejects too many calls"),
          RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
      return;
    }
    long attemptNanos = settings.attemptTimeout() == null ? remaining
        : Math.min(remaining, settings.attemptTimeout().toNanos());
    CallOptions options = CallOptions.DEFAULT
        .withDeadline(Deadline.after(attemptNanos, TimeUnit.NANOSECONDS, time.deadlineTicker()));
    if (waitForReady) {
      options = options.withWaitForReady();
    }
    AttemptListener listener = new AttemptListener(number, now);
    options = options.withStreamTracerFactory(listener.tracerFactory());
    Context previous = context.attach();
    try {
      ClientCall<Q, R> call = channel.newCall(method, options);
      synchronized (this) {
        if (result.isDone()) {
          return;
        }
        attempts = number;
        inFlight = call;
      }
      // Only this attempt's booking: the server's appointment named in its last answer (the first attempt's came
      // with the settings), never one an earlier answer gave.
      Metadata headers = settings.headers();
      headers.discardAll(Pushback.RETRY_BOOKING);
      if (booking != null) {
        headers.put(Pushback.RETRY_BOOKING, booking);
      }
      call.start(listener, headers);
      call.request(2);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      failLocally(Status.INTERNAL.withDescription("could not start " + methodName).withCause(e),
          RetryDecision.Kind.NOT_RETRYABLE);
    } finally {
      context.detach(previous);
    }
  }

  private void onAttemptClosed(int number, long sentNanos, Status status, Metadata trailers, R response,
      boolean reachedServer) {
    long now = time.nanoTime();
    synchronized (this) {
      inFlight = null;
    }
    if (status.isOk() && response != null) {
      policy.onSuccess(now);
      emit(() -> events.onAttempt(
          new AttemptEvent(service, methodName, number, Status.Code.OK, now - sentNanos, -1, true)));
      finish(number, Status.Code.OK, false);
      result.complete(response);
      return;
    }
    Status failed = status.isOk() ? Status.INTERNAL.withDescription(methodName + ": OK without a response") : status;
    AttemptFailure failure = AttemptFailure.of(failed, trailers, number, reachedServer);
    emit(() -> events.onAttempt(new AttemptEvent(service, methodName, number, failed.getCode(), now - sentNanos,
        failure.pushback().delayNanos(), reachedServer)));
    if (result.isDone()) {
      return;
    }
    RetryDecision decision = policy.onFailure(failure, now);
    if (RetryPolicy.NEVER_RETRIED.contains(failed.getCode()) && decision.isRetry()) {
      decision = RetryDecision.stop(RetryDecision.Kind.NOT_RETRYABLE);
    }
    synchronized (this) {
      lastFailure = failure;
    }
    if (decision.kind() == RetryDecision.Kind.BUDGET_EXHAUSTED) {
      emit(() -> events.onLocalRejection(new LocalRejectionEvent(service, methodName, number + 1,
          LocalRejectionEvent.Reason.BUDGET_EXHAUSTED)));
    }
    if (!decision.isRetry() || now + decision.delayNanos() >= deadlineNanos) {
      fail(failure, decision.isRetry() ? RetryDecision.Kind.ATTEMPTS_EXHAUSTED : decision.kind(), false);
      return;
    }
    boolean pushback = decision.kind() == RetryDecision.Kind.PUSHBACK;
    long delay = decision.delayNanos();
    emit(() -> events.onRetryScheduled(new RetryEvent(service, methodName, number + 1, delay, pushback)));
    String booking = pushback ? Pushback.booking(trailers) : null;
    synchronized (this) {
      serverScheduledNext = pushback;
      bookingNext = booking;
      if (result.isDone()) {
        return;
      }
      try {
        retryTimer = time.scheduler().schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        abort("client closed");
      }
    }
  }

  /** Ends the call without sending the attempt it was about to make. */
  private void failLocally(Status status, RetryDecision.Kind reason) {
    AttemptFailure last;
    synchronized (this) {
      last = lastFailure;
    }
    if (last != null) {
      // A retry that was not sent: report the answer the server gave, which is what the caller can act on.
      fail(last, reason, true);
      return;
    }
    finish(0, status.getCode(), true);
    result.completeExceptionally(
        new CallFailedException(status, new Metadata(), 0, Pushback.none(), true, false, reason));
  }

  private void fail(AttemptFailure failure, RetryDecision.Kind reason, boolean rejectedLocally) {
    int sent;
    synchronized (this) {
      sent = attempts;
    }
    finish(sent, failure.code(), rejectedLocally);
    result.completeExceptionally(new CallFailedException(failure.status(), failure.trailers(), sent,
        failure.pushback(), rejectedLocally, failure.reachedServer(), reason));
  }

  private void finish(int sent, Status.Code code, boolean rejectedLocally) {
    long duration = time.nanoTime() - startNanos;
    emit(() -> events.onCallFinished(new CallEvent(service, methodName, sent, code, rejectedLocally, duration)));
  }

  /** Ends the call with CANCELLED unless it already ended (the client is closing). */
  void abort(String why) {
    int sent;
    synchronized (this) {
      sent = attempts;
    }
    if (result.completeExceptionally(new CallFailedException(Status.CANCELLED.withDescription(why), new Metadata(),
        sent, Pushback.none(), true, false, RetryDecision.Kind.NOT_RETRYABLE))) {
      finish(sent, Status.Code.CANCELLED, true);
    }
  }

  private void cancelInFlight() {
    ClientCall<Q, R> call;
    ScheduledFuture<?> timer;
    synchronized (this) {
      call = inFlight;
      timer = retryTimer;
      inFlight = null;
      retryTimer = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (call != null) {
      call.cancel("cancelled by the caller", null);
    }
  }

  private static void emit(Runnable delivery) {
    try {
      delivery.run();
    } catch (RuntimeException e) {
      System.getLogger(UnaryCall.class.getName()).log(System.Logger.Level.WARNING, "event listener failed", e);
    }
  }

  private final class AttemptListener extends ClientCall.Listener<R> {
    private final int number;
    private final long sentNanos;
    private R response;
    // Set when gRPC creates the attempt's stream on a live connection; an attempt that only waited for a
    // connection never gets there. (onReady is no such signal: unary calls may close without it.)
    private volatile boolean reachedServer;

    AttemptListener(int number, long sentNanos) {
      this.number = number;
      this.sentNanos = sentNanos;
    }

    ClientStreamTracer.Factory tracerFactory() {
      ClientStreamTracer tracer = new ClientStreamTracer() {
        @Override
        public void streamCreated(Attributes transportAttrs, Metadata headers) {
          reachedServer = true;
        }
      };
      return new ClientStreamTracer.Factory() {
        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
          return tracer;
        }
      };
    }

    @Override
    public void onMessage(R message) {
      if (response == null) {
        response = message;
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onAttemptClosed(number, sentNanos, status, trailers, response, reachedServer);
    }
  }
}
