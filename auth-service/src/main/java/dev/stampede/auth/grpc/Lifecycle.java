package dev.stampede.auth.grpc;

import dev.stampede.admission.Admission;
import dev.stampede.admission.RejectReason;
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
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tracks the gRPC calls in flight and refuses new ones while the server drains ({@code UNAVAILABLE}, reason
 * {@code DRAINING}, with pushback), so that shutdown can wait for the calls it already accepted. Health and
 * reflection calls ({@code grpc.*}) always pass and are not counted.
 *
 * <p>It also stamps every response with this process's random instance id ({@code stampede-instance} header):
 * the serving probe ({@link ServingMonitor}) uses it to tell that the port it reached is served by this process,
 * not by another one that took the port.
 *
 * <p>Thread-safe.
 */
@Singleton
@GlobalInterceptor
public class Lifecycle implements ServerInterceptor {
  static final Metadata.Key<String> INSTANCE = Metadata.Key.of("stampede-instance", Metadata.ASCII_STRING_MARSHALLER);

  private final Admission admission;
  private final String instanceId;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  @Inject
  public Lifecycle(Admission admission) {
    this.admission = admission;
    byte[] id = new byte[12];
    new SecureRandom().nextBytes(id);
    this.instanceId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String service = call.getMethodDescriptor().getServiceName();
    boolean operational = service != null && service.startsWith("grpc.");
    if (draining && !operational) {
      StatusRuntimeException refusal = admission.errors().overload(RejectReason.DRAINING,
          admission.errors().delayFor(RejectReason.DRAINING));
      call.close(refusal.getStatus(), refusal.getTrailers() != null ? refusal.getTrailers() : new Metadata());
      return new ServerCall.Listener<>() { };
    }
    ServerCall<ReqT, RespT> stamped = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(INSTANCE, instanceId);
        super.sendHeaders(responseHeaders);
      }
    };
    if (operational) {
      return next.startCall(stamped, headers);
    }
    inFlight.incrementAndGet();
    AtomicBoolean done = new AtomicBoolean();
    ServerCall.Listener<ReqT> listener;
    try {
      listener = next.startCall(stamped, headers);
    } catch (RuntimeException e) {
      finished(done);
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          finished(done);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          finished(done);
        }
      }
    };
  }

  private void finished(AtomicBoolean done) {
    if (done.compareAndSet(false, true)) {
      inFlight.decrementAndGet();
    }
  }

  /** Starts refusing new calls. */
  void startDraining() {
    draining = true;
  }

  /** Whether new calls are refused. */
  public boolean draining() {
    return draining;
  }

  /** Calls accepted and not yet finished. */
  public int inFlight() {
    return inFlight.get();
  }

  /** This process's instance id. */
  String instanceId() {
    return instanceId;
  }
}
