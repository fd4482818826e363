package dev.stampede.client.testing;

import com.google.protobuf.Timestamp;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.LogoutResponse;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An auth service that behaves like the contract: accounts with passwords, single-use device-bound resume tickets
 * (re-use revokes the family, unless it is the retry of a Resume whose answer was lost, with the same idempotency
 * key), session tokens with an expiry on the fake wall clock. Faults can be injected per RPC.
 */
public final class FakeAuth extends AuthServiceGrpc.AuthServiceImplBase {
  private final FakeClock clock;
  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, String[]> liveTickets = new ConcurrentHashMap<>();
  private final Map<String, String> spentTickets = new ConcurrentHashMap<>();
  /** Per spent ticket with an idempotency key: {key, the ticket it was exchanged for}. */
  private final Map<String, String[]> rotatedWith = new ConcurrentHashMap<>();
  private final Map<String, Long> tokenExpiry = new ConcurrentHashMap<>();
  private final Map<String, String> revokedFamilies = new ConcurrentHashMap<>();
  private final AtomicInteger serial = new AtomicInteger();
  public final Recorder<LoginRequest> logins;
  public final Recorder<ResumeRequest> resumes;
  public final Recorder<LogoutRequest> logouts;
  /** Per Resume that arrived, the time its deadline had left (ms), or -1 without one. */
  public final java.util.List<Long> resumeDeadlinesMillis = new java.util.concurrent.CopyOnWriteArrayList<>();
  public volatile Fault loginFault = Fault.NONE;
  public volatile Fault resumeFault = Fault.NONE;
  public volatile Duration sessionLifetime = Duration.ofMinutes(10);
  /** How many of the next successful Resumes rotate the ticket, then answer UNAVAILABLE (a server killed then). */
  public final AtomicInteger resumeAnswersToLose = new AtomicInteger();

  public FakeAuth(FakeClock clock) {
    this.clock = clock;
    this.logins = new Recorder<>(clock);
    this.resumes = new Recorder<>(clock);
    this.logouts = new Recorder<>(clock);
  }

  public FakeAuth account(String username, String password) {
    passwords.put(username, password);
    return this;
  }

  /** Whether a session token was issued by this server and has not expired (the directory's check). */
  public boolean tokenValid(String token) {
    Long expiry = tokenExpiry.get(token);
    return expiry != null && clock.currentTimeMillis() < expiry;
  }

  /** Revokes every token issued so far (keys rotated, or sessions revoked). */
  public void revokeAllTokens() {
    tokenExpiry.clear();
  }

  @Override
  public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
    int n = logins.record(request);
    StatusRuntimeException fault = loginFault.failure(n);
    if (fault != null) {
      response.onError(fault);
      return;
    }
    String expected = passwords.get(request.getUsername());
    if (expected == null || !expected.equals(request.getPassword())) {
      response.onError(Status.UNAUTHENTICATED.withDescription("bad credentials").asRuntimeException());
      return;
    }
    String family = "s-" + serial.incrementAndGet();
    response.onNext(LoginResponse.newBuilder()
        .setGrant(grant("u-" + request.getUsername(), request.getDeviceId(), family)).build());
    response.onCompleted();
  }

  @Override
  public void resume(ResumeRequest request, StreamObserver<ResumeResponse> response) {
    io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
    resumeDeadlinesMillis.add(deadline == null ? -1 : deadline.timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS));
    int n = resumes.record(request);
    StatusRuntimeException fault = resumeFault.failure(n);
    if (fault != null) {
      response.onError(fault);
      return;
    }
    String[] owner = liveTickets.remove(request.getResumeTicket());
    String[] rotation = rotatedWith.get(request.getResumeTicket());
    if (owner == null && rotation != null && rotation[0].equals(request.getIdempotencyKey())) {
      owner = liveTickets.remove(rotation[1]); // a retry: the ticket of the lost answer is spent instead
    }
    if (owner == null) {
      String family = spentTickets.get(request.getResumeTicket());
      if (family != null) {
        revokedFamilies.put(family, family);
      }
      response.onError(Status.UNAUTHENTICATED.withDescription("TICKET_INVALID").asRuntimeException());
      return;
    }
    spentTickets.put(request.getResumeTicket(), owner[2]);
    if (!owner[1].equals(request.getDeviceId()) || revokedFamilies.containsKey(owner[2])) {
      response.onError(Status.UNAUTHENTICATED.withDescription("TICKET_INVALID").asRuntimeException());
      return;
    }
    SessionGrant next = grant(owner[0], owner[1], owner[2]);
    if (!request.getIdempotencyKey().isEmpty()) {
      rotatedWith.put(request.getResumeTicket(), new String[] {request.getIdempotencyKey(), next.getResumeTicket()});
    }
    if (resumeAnswersToLose.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      response.onError(Status.UNAVAILABLE.withDescription("connection reset after the rotation").asRuntimeException());
      return;
    }
    response.onNext(ResumeResponse.newBuilder().setGrant(next).build());
    response.onCompleted();
  }

  @Override
  public void logout(LogoutRequest request, StreamObserver<LogoutResponse> response) {
    logouts.record(request);
    tokenExpiry.remove(request.getSessionToken());
    response.onNext(LogoutResponse.getDefaultInstance());
    response.onCompleted();
  }

  private SessionGrant grant(String userId, String deviceId, String family) {
    int id = serial.incrementAndGet();
    String token = "token-" + id;
    String ticket = "ticket-" + id;
    long expiresAt = clock.currentTimeMillis() + sessionLifetime.toMillis();
    tokenExpiry.put(token, expiresAt);
    liveTickets.put(ticket, new String[] {userId, deviceId, family});
    return SessionGrant.newBuilder()
        .setUserId(userId)
        .setSessionToken(token)
        .setSessionExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt / 1000)
            .setNanos((int) (expiresAt % 1000) * 1_000_000))
        .setResumeTicket(ticket)
        .setResumeTicketExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt / 1000 + 7 * 86400))
        .setSessionId(family)
        .build();
  }

  /** Issues a ticket as if an earlier process of this device had logged in (for reboot scenarios). */
  public String issueTicket(String username, String deviceId) {
    SessionGrant g = grant("u-" + username, deviceId, "s-" + serial.incrementAndGet());
    return g.getResumeTicket();
  }
}
