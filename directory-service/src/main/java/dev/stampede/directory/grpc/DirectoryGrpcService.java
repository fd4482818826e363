package dev.stampede.directory.grpc;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.LookupResponse;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.UnregisterResponse;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.directory.config.DirectoryConfig;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.ForeignLeaseException;
import dev.stampede.directory.domain.Inputs;
import dev.stampede.directory.domain.LeaseId;
import dev.stampede.directory.domain.NatType;
import dev.stampede.directory.store.PresenceStore;
import dev.stampede.directory.watch.PresenceHub;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.SessionTokenVerifier;
import dev.stampede.tokens.VerifiedSession;
import dev.stampede.tokens.revocation.RevocationCheck;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The gRPC edge of {@code stampede.directory.v1.DirectoryService}: checks inputs against the contract's limits,
 * verifies the session token for audience {@code directory}, calls the store or the hub, and maps the outcome
 * through {@link Statuses}. Every method runs on the gRPC event loop and never blocks: Redis answers complete the
 * call from a Lettuce thread.
 *
 * <p>A caller only ever acts on its own presence: Register, Heartbeat and Unregister take user and device from the
 * verified token, never from the request, and a lease id of another user or device is {@code PERMISSION_DENIED}.
 */
@GrpcService
public class DirectoryGrpcService extends DirectoryServiceGrpc.DirectoryServiceImplBase {
  private final PresenceStore store;
  private final PresenceHub hub;
  private final SessionAuthenticator sessions;
  private final Statuses statuses;
  private final DirectoryMetrics metrics;
  private final Duration ttl;
  private final int maxWatchedUsers;
  private final String relayTarget;

  @Inject
  public DirectoryGrpcService(PresenceStore store, PresenceHub hub, SessionTokenVerifier verifier,
      RevocationCheck revocations, Statuses statuses, DirectoryMetrics metrics, MeterRegistry registry,
      DirectoryConfig config) {
    this.store = store;
    this.hub = hub;
    this.sessions = new SessionAuthenticator(verifier, revocations, registry);
    this.statuses = statuses;
    this.metrics = metrics;
    this.ttl = config.lease().ttl();
    this.maxWatchedUsers = config.watch().maxUsers();
    this.relayTarget = config.relayTarget().orElse("");
  }

  @Override
  public ServerServiceDefinition bindService() {
    return StrictRequestParsing.apply(super.bindService());
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
    VerifiedSession session;
    List<Endpoint> endpoints;
    NatType nat;
    try {
      Inputs.sessionToken(request.getSessionToken());
      endpoints = ProtoMapping.endpoints(request.getEndpointsList());
      nat = Inputs.natType(request.getNatTypeValue());
      session = sessions.verify(request.getSessionToken());
    } catch (InvalidSessionTokenException | RuntimeException e) {
      fail(response, e);
      return;
    }
    store.register(session, endpoints, nat).whenComplete((registration, error) -> {
      if (error != null) {
        fail(response, error);
        return;
      }
      response.onNext(RegisterResponse.newBuilder()
          .setLeaseId(registration.leaseId().text())
          .setTtl(ProtoMapping.duration(ttl))
          .setExpiresAt(ProtoMapping.timestamp(registration.expiresAtMillis()))
          .build());
      response.onCompleted();
    });
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
    VerifiedSession session;
    LeaseId lease;
    try {
      Inputs.sessionToken(request.getSessionToken());
      lease = Inputs.leaseId(request.getLeaseId());
      session = ownerOf(lease, request.getSessionToken());
    } catch (InvalidSessionTokenException | RuntimeException e) {
      fail(response, e);
      return;
    }
    store.heartbeat(session, lease).whenComplete((expiresAt, error) -> {
      if (error != null) {
        fail(response, error);
        return;
      }
      response.onNext(HeartbeatResponse.newBuilder()
          .setTtl(ProtoMapping.duration(ttl))
          .setExpiresAt(ProtoMapping.timestamp(expiresAt))
          .build());
      response.onCompleted();
    });
  }

  @Override
  public void unregister(UnregisterRequest request, StreamObserver<UnregisterResponse> response) {
    VerifiedSession session;
    LeaseId lease;
    try {
      Inputs.sessionToken(request.getSessionToken());
      lease = Inputs.leaseId(request.getLeaseId());
      session = ownerOf(lease, request.getSessionToken());
    } catch (InvalidSessionTokenException | RuntimeException e) {
      fail(response, e);
      return;
    }
    store.unregister(session, lease).whenComplete((withdrawn, error) -> {
      if (error != null) {
        fail(response, error);
        return;
      }
      response.onNext(UnregisterResponse.getDefaultInstance());
      response.onCompleted();
    });
  }

  @Override
  public void lookup(LookupRequest request, StreamObserver<LookupResponse> response) {
    String userId;
    try {
      Inputs.sessionToken(request.getSessionToken());
      userId = Inputs.userId("user_id", request.getUserId());
    } catch (RuntimeException e) {
      fail(response, e);
      return;
    }
    sessions.verifyNotRevoked(request.getSessionToken())
        .thenCompose(session -> store.read(userId))
        .whenComplete((snapshot, error) -> {
          if (error != null) {
            fail(response, error);
            return;
          }
          response.onNext(LookupResponse.newBuilder()
              .setPresence(ProtoMapping.presence(snapshot.presence()))
              .setRelayHint(ProtoMapping.relayHint(snapshot.presence(), relayTarget))
              .build());
          response.onCompleted();
        });
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
    WatchCall call = new WatchCall((ServerCallStreamObserver<WatchEvent>) response, hub, statuses, metrics);
    List<String> users;
    try {
      Inputs.sessionToken(request.getSessionToken());
      users = Inputs.watchedUsers(request.getUserIdsList(), maxWatchedUsers);
    } catch (RuntimeException e) {
      call.fail(e);
      return;
    }
    sessions.verifyNotRevoked(request.getSessionToken()).whenComplete((session, error) -> {
      if (error != null) {
        call.fail(counted(error));
        return;
      }
      try {
        call.start(hub.watch(users, call));
      } catch (RuntimeException e) {
        call.fail(e);
      }
    });
  }

  /** The verified session whose device {@code lease} belongs to, or PERMISSION_DENIED. */
  private VerifiedSession ownerOf(LeaseId lease, String token) throws InvalidSessionTokenException {
    VerifiedSession session = sessions.verify(token);
    if (!lease.belongsTo(session.userId(), session.deviceId())) {
      throw new ForeignLeaseException();
    }
    return session;
  }

  private void fail(StreamObserver<?> response, Throwable error) {
    response.onError(statuses.toStatus(counted(error)));
  }

  /** Counts a refused token once, wherever it was refused (verifier, revocation cache, script). */
  private Throwable counted(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof InvalidSessionTokenException) {
      sessions.rejected((InvalidSessionTokenException) cause);
    }
    return cause;
  }
}
