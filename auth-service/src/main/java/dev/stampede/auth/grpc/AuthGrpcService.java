package dev.stampede.auth.grpc;

import com.google.protobuf.Timestamp;
import dev.stampede.admission.executor.WorkerPool;
import dev.stampede.api.auth.v1.MutinyAuthServiceGrpc;
import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.api.auth.v1.CreateAccountResponse;
import dev.stampede.api.auth.v1.GetSessionRequest;
import dev.stampede.api.auth.v1.GetSessionResponse;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.LogoutResponse;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.api.auth.v1.SeedAccountsRequest;
import dev.stampede.api.auth.v1.SeedAccountsResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.auth.domain.Accounts;
import dev.stampede.auth.domain.Grant;
import dev.stampede.auth.domain.HashingLane;
import dev.stampede.auth.domain.Inputs;
import dev.stampede.auth.domain.InvalidInputException;
import dev.stampede.auth.domain.Introspection;
import dev.stampede.auth.domain.Sessions;
import dev.stampede.auth.domain.Username;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The gRPC edge of {@code stampede.auth.v1.AuthService}: checks the contract's limits, maps protos to the domain
 * and back, and fails with exceptions that the admission library's error mapping answers. Every method is
 * non-blocking and runs on the event loop; password hashing goes to the admission-protected pool, bound to the
 * call (deadline, cancellation, priority).
 */
@GrpcService
public class AuthGrpcService extends MutinyAuthServiceGrpc.AuthServiceImplBase {
  /** Bound on a seeded name's prefix (auth.proto). */
  static final int MAX_PREFIX_BYTES = 48;

  private final Accounts accounts;
  private final Sessions sessions;
  private final WorkerPool hashing;
  private final AdminGate admin;
  private final LoginThrottle throttle;

  @Inject
  AuthGrpcService(Accounts accounts, Sessions sessions, WorkerPool hashing, AdminGate admin,
      LoginThrottle throttle) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.hashing = hashing;
    this.admin = admin;
    this.throttle = throttle;
  }

  /** The generated binding, with request parsing that turns malformed messages into INVALID_ARGUMENT. */
  @Override
  public ServerServiceDefinition bindService() {
    return MalformedRequests.tolerant(super.bindService());
  }

  @Override
  public Uni<CreateAccountResponse> createAccount(CreateAccountRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      Username name = Username.parse("username", request.getUsername());
      byte[] password = Inputs.password("password", request.getPassword(), Inputs.MIN_NEW_PASSWORD_BYTES);
      return accounts.create(name, password, lane())
          .thenApply(userId -> CreateAccountResponse.newBuilder().setUserId(userId).build());
    });
  }

  @Override
  public Uni<LoginResponse> login(LoginRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      Username name = Username.parse("username", request.getUsername());
      byte[] password = Inputs.password("password", request.getPassword(), 1);
      String device = Inputs.deviceId("device_id", request.getDeviceId());
      HashingLane lane = lane();
      String source = CallerInfo.current().source();
      return throttle.guard(name.userId(), source, () -> accounts.login(name, password, device, lane))
          .thenApply(grant -> LoginResponse.newBuilder().setGrant(grant(grant)).build());
    });
  }

  @Override
  public Uni<ResumeResponse> resume(ResumeRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      String ticket = Inputs.ticket("resume_ticket", request.getResumeTicket());
      String device = Inputs.deviceId("device_id", request.getDeviceId());
      String key = Inputs.idempotencyKey("idempotency_key", request.getIdempotencyKey());
      return sessions.resume(ticket, device, key)
          .thenApply(grant -> ResumeResponse.newBuilder().setGrant(grant(grant)).build());
    });
  }

  @Override
  public Uni<LogoutResponse> logout(LogoutRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      return sessions.logout(Inputs.sessionToken("session_token", request.getSessionToken(), 0))
          .thenApply(ignored -> LogoutResponse.getDefaultInstance());
    });
  }

  @Override
  public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      admin.requireAdmin(CallerInfo.current());
      String token = Inputs.sessionToken("session_token", request.getSessionToken(), 1);
      return sessions.introspect(token).thenApply(AuthGrpcService::introspection);
    });
  }

  @Override
  public Uni<SeedAccountsResponse> seedAccounts(SeedAccountsRequest request) {
    return call(() -> {
      MalformedRequests.reject(request);
      admin.requireAdmin(CallerInfo.current());
      admin.requireSeedEnabled();
      Username prefix = Username.parse("username_prefix", request.getUsernamePrefix());
      if (prefix.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
        throw new InvalidInputException("username_prefix: longer than " + MAX_PREFIX_BYTES
            + " bytes after normalisation (expected: 1..48 bytes UTF-8)");
      }
      int count = request.getCount();
      if (count < 1 || count > Accounts.MAX_SEED) {
        throw new InvalidInputException("count: " + Integer.toUnsignedString(count) + " (expected: 1.."
            + Accounts.MAX_SEED + ")");
      }
      long first = Integer.toUnsignedLong(request.getFirstIndex());
      if (first + count - 1 > 0xFFFF_FFFFL) {
        throw new InvalidInputException("first_index: " + first + " (expected: first_index + count ≤ 2^32)");
      }
      byte[] password = Inputs.password("password", request.getPassword(), Inputs.MIN_NEW_PASSWORD_BYTES);
      return accounts.seed(prefix, first, count, password, lane())
          .thenApply(r -> SeedAccountsResponse.newBuilder().setCreated(r.created()).setExisting(r.existing())
              .addAllUserIds(r.userIds()).build());
    });
  }

  /**
   * The hashing pool, bound to this call: the pool reads the call's deadline, cancellation and priority from its
   * gRPC context, even when the work is submitted later from a Redis I/O thread.
   */
  private HashingLane lane() {
    Context call = Context.current();
    return work -> {
      try {
        return call.call(() -> hashing.submit(work::get));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  /** Runs a step that may throw (validation) or fail its stage, with domain failures translated for the edge. */
  private static <T> Uni<T> call(Supplier<CompletionStage<T>> step) {
    return Uni.createFrom().completionStage(step).onFailure().transform(DomainErrors::toApi);
  }

  private static SessionGrant grant(Grant g) {
    return SessionGrant.newBuilder()
        .setUserId(g.userId())
        .setSessionId(g.sessionId())
        .setSessionToken(g.sessionToken())
        .setSessionExpiresAt(timestamp(g.sessionExpiresAt()))
        .setResumeTicket(g.resumeTicket())
        .setResumeTicketExpiresAt(timestamp(g.resumeTicketExpiresAt()))
        .build();
  }

  private static GetSessionResponse introspection(Introspection i) {
    if (!i.active()) {
      return GetSessionResponse.newBuilder().setActive(false).build();
    }
    return GetSessionResponse.newBuilder()
        .setActive(true)
        .setUserId(i.claims().userId())
        .setDeviceId(i.claims().deviceId())
        .setSessionId(i.claims().sessionId())
        .setExpiresAt(timestamp(i.claims().expiresAt()))
        .addAllAudiences(i.audiences())
        .build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
