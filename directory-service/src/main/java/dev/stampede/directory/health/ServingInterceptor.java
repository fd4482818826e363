package dev.stampede.directory.health;

import dev.stampede.directory.domain.DrainingException;
import dev.stampede.directory.grpc.Statuses;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tracks the directory's calls in flight (so that shutdown can wait for them) and refuses new ones while draining
 * with {@code UNAVAILABLE}, reason {@code DRAINING}, and a short retry delay — before the request is parsed. Health
 * checks pass through untouched except for one header: the instance id, which lets the self-probe tell this process's
 * gRPC server from any other listening on the port.
 */
@Singleton
@GlobalInterceptor
public class ServingInterceptor implements ServerInterceptor {
  /** The response header carrying {@link ServingState#instanceId()} on health checks. */
  public static final Metadata.Key<String> INSTANCE =
      Metadata.Key.of("stampede-instance", Metadata.ASCII_STRING_MARSHALLER);
  private static final String DIRECTORY = "stampede.directory.v1.DirectoryService/";
  private static final String HEALTH = "grpc.health.v1.Health/";

  private final ServingState state;
  private final Statuses statuses;

  @Inject
  public ServingInterceptor(ServingState state, Statuses statuses) {
    this.state = state;
    this.statuses = statuses;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.startsWith(HEALTH)) {
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          responseHeaders.put(INSTANCE, state.instanceId());
          super.sendHeaders(responseHeaders);
        }
      }, headers);
    }
    if (!method.startsWith(DIRECTORY)) {
      return next.startCall(call, headers);
    }
    if (state.draining()) {
      StatusRuntimeException refusal = statuses.toStatus(new DrainingException());
      call.close(refusal.getStatus(), trailers(refusal));
      return new ServerCall.Listener<>() {
      };
    }
    state.callStarted();
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end = () -> {
      if (ended.compareAndSet(false, true)) {
        state.callEnded();
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      end.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        end.run();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        end.run();
        super.onCancel();
      }
    };
  }

  private static Metadata trailers(StatusRuntimeException e) {
    Metadata t = e.getTrailers();
    return t != null ? t : new Metadata();
  }
}
