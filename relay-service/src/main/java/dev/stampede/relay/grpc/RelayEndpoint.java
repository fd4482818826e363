package dev.stampede.relay.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.Priority;
import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.ReleaseRequest;
import dev.stampede.api.relay.v1.ReleaseResponse;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.relay.RelayMetrics;
import dev.stampede.relay.allocation.Allocated;
import dev.stampede.relay.allocation.Allocator;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.Inputs;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.forward.Sessions;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code stampede.relay.v1.RelayService} on plain grpc-java: Allocate, Connect (one {@link ConnectStream} per call)
 * and Release. Requests that do not parse are answered {@code INVALID_ARGUMENT} ({@link LenientMarshaller}); every
 * other failure goes through {@link Statuses}. Priorities (for admission): Connect {@code CRITICAL}, Allocate and
 * Release {@code SHEDDABLE} — see {@link #methodPolicies()}.
 *
 * <p>Thread-safe; one instance serves every call.
 */
public final class RelayEndpoint extends RelayServiceGrpc.RelayServiceImplBase {
  /**
   * Each method's priority for the admission interceptor (DESIGN §3): a Connect stream carries a live call and is
   * admitted once, at its start, as CRITICAL (it then holds its permit for its life); new work is SHEDDABLE.
   */
  public static MethodPolicies methodPolicies() {
    return MethodPolicies.builder()
        .method(RelayServiceGrpc.getConnectMethod(), Priority.CRITICAL)
        .method(RelayServiceGrpc.getAllocateMethod(), Priority.SHEDDABLE)
        .method(RelayServiceGrpc.getReleaseMethod(), Priority.SHEDDABLE)
        .build();
  }

  private final Authenticator authenticator;
  private final Allocator allocator;
  private final Sessions sessions;
  private final RelaySettings settings;
  private final ScheduledExecutorService timer;
  private final RelayMetrics metrics;
  private final Statuses statuses;
  private final LenientMarshaller<AllocateRequest> allocateRequests =
      new LenientMarshaller<>(AllocateRequest.getDefaultInstance());
  private final LenientMarshaller<ConnectRequest> connectRequests =
      new LenientMarshaller<>(ConnectRequest.getDefaultInstance());
  private final LenientMarshaller<ReleaseRequest> releaseRequests =
      new LenientMarshaller<>(ReleaseRequest.getDefaultInstance());

  public RelayEndpoint(Authenticator authenticator, Allocator allocator, Sessions sessions, RelaySettings settings,
      ScheduledExecutorService timer, RelayMetrics metrics, Statuses statuses) {
    this.authenticator = authenticator;
    this.allocator = allocator;
    this.sessions = sessions;
    this.settings = settings;
    this.timer = timer;
    this.metrics = metrics;
    this.statuses = statuses;
  }

  @Override
  public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> response) {
    if (allocateRequests.isMalformed(request)) {
      reply(response, null, RelayException.invalidArgument("request: not a valid stampede.relay.v1.AllocateRequest"));
      return;
    }
    try {
      Inputs.sessionToken("session_token", request.getSessionToken());
      Inputs.peerUserId(request.getPeerUserId());
    } catch (RelayException e) {
      reply(response, null, e);
      return;
    }
    authenticator.authenticate("session_token", request.getSessionToken())
        .thenCompose(caller -> {
          if (caller.userId().equals(request.getPeerUserId())) {
            throw RelayException.invalidArgument("peer_user_id: the caller itself (expected: another user)");
          }
          return allocator.allocate(caller.userId(), request.getPeerUserId());
        })
        .whenComplete((allocated, error) -> {
          metrics.allocation(error);
          reply(response, error == null ? toResponse(allocated) : null, error);
        });
  }

  @Override
  public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response) {
    if (releaseRequests.isMalformed(request)) {
      reply(response, null, RelayException.invalidArgument("request: not a valid stampede.relay.v1.ReleaseRequest"));
      return;
    }
    try {
      Inputs.sessionToken("session_token", request.getSessionToken());
      Inputs.allocationId("allocation_id", request.getAllocationId());
    } catch (RelayException e) {
      reply(response, null, e);
      return;
    }
    authenticator.authenticate("session_token", request.getSessionToken())
        .thenCompose(caller -> allocator.release(caller.userId(), request.getAllocationId()))
        .whenComplete((v, error) -> reply(response, error == null ? ReleaseResponse.getDefaultInstance() : null,
            error));
  }

  @Override
  public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> response) {
    return new ConnectStream((ServerCallStreamObserver<ConnectResponse>) response, this).start();
  }

  /** The generated definition with lenient request marshallers, so that garbage is INVALID_ARGUMENT. */
  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition generated = super.bindService();
    ServiceDescriptor descriptor = generated.getServiceDescriptor();
    ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(descriptor.getName())
        .setSchemaDescriptor(descriptor.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      ServerMethodDefinition<?, ?> lenient = lenient(method);
      service.addMethod(lenient.getMethodDescriptor());
      methods.add(lenient);
    }
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service.build());
    methods.forEach(definition::addMethod);
    return definition.build();
  }

  @SuppressWarnings("unchecked")
  private <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> lenient(ServerMethodDefinition<ReqT, RespT> method) {
    MethodDescriptor<ReqT, RespT> md = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<ReqT> requests;
    String name = md.getBareMethodName();
    if ("Allocate".equals(name)) {
      requests = (MethodDescriptor.Marshaller<ReqT>) allocateRequests;
    } else if ("Connect".equals(name)) {
      requests = (MethodDescriptor.Marshaller<ReqT>) connectRequests;
    } else if ("Release".equals(name)) {
      requests = (MethodDescriptor.Marshaller<ReqT>) releaseRequests;
    } else {
      return method;
    }
    ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(md.toBuilder(requests, md.getResponseMarshaller()).build(), handler);
  }

  private AllocateResponse toResponse(Allocated a) {
    return AllocateResponse.newBuilder()
        .setAllocationId(a.allocationId())
        .setRelayAddress(a.relayAddress())
        .setJoinToken(a.joinToken())
        .setJoinTokenExpiresAt(timestamp(a.joinTokenExpiresAt()))
        .setExpiresAt(timestamp(a.expiresAt()))
        .build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private <T extends Message> void reply(StreamObserver<T> response, T value, Throwable error) {
    try {
      if (error != null) {
        response.onError(statuses.of(error));
      } else {
        response.onNext(value);
        response.onCompleted();
      }
    } catch (RuntimeException cancelled) {
      // The caller went away (cancelled or deadline): there is nobody left to answer.
    }
  }

  boolean isMalformed(ConnectRequest message) {
    return connectRequests.isMalformed(message);
  }

  Authenticator authenticator() {
    return authenticator;
  }

  Allocator allocator() {
    return allocator;
  }

  Sessions sessions() {
    return sessions;
  }

  RelaySettings settings() {
    return settings;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  RelayMetrics metrics() {
    return metrics;
  }

  Statuses statuses() {
    return statuses;
  }
}
