package dev.stampede.chaos.storm;

import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.StormRecorder;
import dev.stampede.client.retry.Pushback;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.function.LongSupplier;

/**
 * Records every attempt of the storm's RPCs ({@code Login}, {@code Resume}, {@code Register}, {@code Heartbeat})
 * that goes through a channel: the attempt when it starts, its {@link StatusOutcome} and latency when it ends.
 * Installed on the channels of SDK-driven virtual clients, whose attempts (first tries, retries, waits for a
 * connection) the SDK makes on its own; other methods pass untouched.
 *
 * <p>Thread-safe.
 */
public final class RecordingInterceptor implements ClientInterceptor {
  private final StormRecorder recorder;
  private final LongSupplier nanoTime;

  /**
   * @param recorder where attempts go
   * @param nanoTime the recorder's clock
   */
  public RecordingInterceptor(StormRecorder recorder, LongSupplier nanoTime) {
    this.recorder = recorder;
    this.nanoTime = nanoTime;
  }

  /** The storm RPC a method is, or {@code null} for methods the timeline does not count. */
  static Rpc rpcOf(MethodDescriptor<?, ?> method) {
    String name = method.getBareMethodName();
    if (name == null) {
      return null;
    }
    String service = method.getServiceName();
    return switch (name) {
      case "Login" -> "stampede.auth.v1.AuthService".equals(service) ? Rpc.LOGIN : null;
      case "Resume" -> "stampede.auth.v1.AuthService".equals(service) ? Rpc.RESUME : null;
      case "Register" -> "stampede.directory.v1.DirectoryService".equals(service) ? Rpc.REGISTER : null;
      case "Heartbeat" -> "stampede.directory.v1.DirectoryService".equals(service) ? Rpc.HEARTBEAT : null;
      default -> null;
    };
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    Rpc rpc = rpcOf(method);
    if (rpc == null) {
      return next.newCall(method, options);
    }
    Attempt attempt = new Attempt(rpc);
    ClientCall<Q, R> call = next.newCall(method, options.withStreamTracerFactory(attempt.tracerFactory()));
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        attempt.started();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            attempt.closed(status, trailers);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  private final class Attempt {
    private final Rpc rpc;
    private volatile boolean reachedServer;
    private long startNanos;

    Attempt(Rpc rpc) {
      this.rpc = rpc;
    }

    void started() {
      startNanos = nanoTime.getAsLong();
      recorder.attempt(rpc, startNanos);
    }

    void closed(Status status, Metadata trailers) {
      boolean pushback = !status.isOk() && Pushback.from(status, trailers).isPresent();
      recorder.result(rpc, StatusOutcome.of(status.getCode(), pushback, reachedServer), startNanos,
          nanoTime.getAsLong());
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
  }
}
