package dev.stampede.admission.grpc;

import dev.stampede.admission.queue.Outcome;
import dev.stampede.admission.queue.Permit;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.function.LongSupplier;

/**
 * An admitted call: releases its permit when the server closes it (the status decides the outcome) or when the
 * client cancels it (a drop). Streams and methods without a latency signal release without a sample.
 */
final class AdmittedCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
  private final Permit permit;
  private final AdmissionInterceptor.MethodState method;
  private final LongSupplier ticker;

  AdmittedCall(ServerCall<ReqT, RespT> delegate, Permit permit, AdmissionInterceptor.MethodState method,
      LongSupplier ticker) {
    super(delegate);
    this.permit = permit;
    this.method = method;
    this.ticker = ticker;
  }

  @Override
  public void close(Status status, Metadata trailers) {
    try {
      super.close(status, trailers);
    } finally {
      finish(Outcome.of(status.getCode()));
    }
  }

  void finish(Outcome outcome) {
    if (permit.isReleased()) {
      return;
    }
    if (method.streaming) {
      permit.release(Outcome.IGNORED);
      return;
    }
    // The service time sets the deadline check and the queue time of every unary method, whether or not its
    // latency feeds the limit: a log-in's ~0.5 s on the hashing pool is not congestion, but it is its service time.
    if (outcome == Outcome.SUCCESS) {
      method.recordServiceTime(ticker.getAsLong() - permit.startNanos());
    }
    permit.release(method.policy.feedsLimit() ? outcome : Outcome.IGNORED);
  }

  /** Releases the permit as a drop when the client goes away before the server answered. */
  static final class Listener<ReqT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final AdmittedCall<ReqT, ?> call;

    Listener(ServerCall.Listener<ReqT> delegate, AdmittedCall<ReqT, ?> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onCancel() {
      try {
        super.onCancel();
      } finally {
        call.finish(Outcome.DROPPED);
      }
    }

    @Override
    public void onComplete() {
      try {
        super.onComplete();
      } finally {
        call.finish(Outcome.IGNORED);
      }
    }
  }
}
