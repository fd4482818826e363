package dev.stampede.client.connect;

import com.google.protobuf.Timestamp;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.credentials.ResumeCredentials;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.time.TimeSource;
import dev.stampede.client.transport.ReconnectOptions;
import dev.stampede.client.watch.PresenceWatch;
import dev.stampede.client.watch.WatchListener;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.SynchronizationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The state machine behind {@link Connection}. Every field below the final ones is confined to {@link #sync}:
 * call results and timers re-enter through it, so the flow needs no locks and holds no thread. A generation
 * counter, bumped by disconnect, close and terminal failures, makes late results of an abandoned round harmless.
 */
final class ConnectFlow {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  /** Lease TTL assumed when the directory does not say. */
  private static final long FALLBACK_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** Never refresh a session more often than this, even when the server's clock and ours disagree. */
  private static final long MIN_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Duration UNREGISTER_DEADLINE = Duration.ofSeconds(2);

  private final StampedeClient client;
  private final ConnectOptions options;
  private final TimeSource time;
  private final RandomGenerator random;
  private final SynchronizationContext sync;
  private final TicketKeeper tickets;
  private final CallSettings authSettings;
  private final CallSettings presenceSettings;
  private final Backoff connectBackoff;
  private final Backoff reconnectBackoff;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<PresenceWatch> watches = new CopyOnWriteArrayList<>();

  private volatile ConnectionState publicState = ConnectionState.OFFLINE;
  private volatile Session snapshot;
  private volatile String currentToken;

  private ConnectionState state = ConnectionState.OFFLINE;
  private boolean closed;
  private boolean active;
  private long generation;
  private final List<CompletableFuture<Session>> waiters = new ArrayList<>();
  private boolean ticketsLoaded;
  private ResumeCredentials ticket;
  private String userId;
  private String sessionId;
  private String token;
  private Instant sessionExpiresAt;
  private long tokenExpiresNanos;
  private String leaseId;
  private Duration leaseTtl;
  private long leaseExpiresNanos;
  private CompletableFuture<Void> authInFlight;
  private SynchronizationContext.ScheduledHandle roundTimer;
  private SynchronizationContext.ScheduledHandle heartbeatTimer;
  private SynchronizationContext.ScheduledHandle refreshTimer;
  private int failedRounds;
  private int heartbeatFailures;
  private int refreshFailures;
  private long notBeforeNanos;
  private boolean nextCallScheduledByServer;

  ConnectFlow(StampedeClient client, ConnectOptions options) {
    this.client = client;
    this.options = options;
    this.time = client.timeSource();
    this.random = client.random();
    this.sync = new SynchronizationContext((thread, error) ->
        LOG.log(System.Logger.Level.ERROR, "connect flow of " + options.deviceId() + " failed", error));
    this.tickets = new TicketKeeper(options.store(), client.executor());
    Supplier<? extends RetryPolicy> policies =
        options.retryPolicyFactory() != null ? options.retryPolicyFactory() : client::newRetryPolicy;
    this.authSettings = withPolicy(options.authCall(), policies);
    this.presenceSettings = withPolicy(options.presenceCall(), policies);
    RetryOptions retry = client.retryOptions();
    this.connectBackoff = options.connectBackoff() != null ? options.connectBackoff()
        : Backoff.fullJitter(retry.initialBackoff(), retry.maxBackoff(), retry.backoffMultiplier(), random);
    ReconnectOptions reconnect = client.reconnectOptions();
    this.reconnectBackoff = Backoff.proportionalJitter(reconnect.initial(), reconnect.cap(), reconnect.multiplier(),
        reconnect.jitter(), random);
    this.listeners.addAll(options.listeners());
    // nanoTime has an arbitrary origin (it may be negative): "now" is the only safe "nothing asked for yet".
    this.notBeforeNanos = time.nanoTime();
  }

  private static CallSettings withPolicy(CallSettings settings, Supplier<? extends RetryPolicy> policies) {
    return settings.retryPolicy() != null ? settings : settings.withRetryPolicy(policies.get());
  }

  ConnectOptions options() {
    return options;
  }

  ConnectionState state() {
    return publicState;
  }

  Session snapshot() {
    return snapshot;
  }

  void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  void removeListener(ConnectionListener listener) {
    listeners.remove(listener);
  }

  // ---- commands ------------------------------------------------------------------------------------------------

  CompletableFuture<Session> connect() {
    CompletableFuture<Session> online = new CompletableFuture<>();
    sync.execute(() -> {
      if (closed) {
        online.completeExceptionally(cancelled("connection closed"));
        return;
      }
      if (state == ConnectionState.ONLINE) {
        online.complete(snapshot);
        return;
      }
      waiters.add(online);
      if (active) {
        return;
      }
      active = true;
      generation++;
      failedRounds = 0;
      transition(ConnectionState.CONNECTING, null);
      long maxDelay = options.startupDelay().toNanos();
      if (maxDelay == 0) {
        round();
      } else {
        roundTimer = schedule(this::round, (long) (random.nextDouble() * maxDelay));
      }
    });
    return online;
  }

  CompletableFuture<Void> disconnect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    sync.execute(() -> {
      String lease = leaseId;
      String withToken = token;
      stop(cancelled("disconnected"), null);
      if (lease == null || withToken == null || closed) {
        done.complete(null);
        return;
      }
      UnregisterRequest request = UnregisterRequest.newBuilder().setSessionToken(withToken).setLeaseId(lease).build();
      inRoot(() -> client.directory().unregisterAsync(request,
          presenceSettings.withRetryPolicy(RetryPolicy.noRetry()).withDeadline(UNREGISTER_DEADLINE)))
          .whenComplete((r, e) -> done.complete(null));
    });
    return done;
  }

  CompletableFuture<Void> logout() {
    return disconnect().thenCompose(ignored -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      sync.execute(() -> {
        String withToken = token;
        forgetSession();
        ticket = null;
        tickets.clear();
        if (withToken == null || closed) {
          tickets.flushed().whenComplete((v, e) -> done.complete(null));
          return;
        }
        inRoot(() -> client.auth().logoutAsync(LogoutRequest.newBuilder().setSessionToken(withToken).build(),
            authSettings)).whenComplete((r, error) -> tickets.flushed().whenComplete((v, e) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(null);
              }
            }));
      });
      return done;
    });
  }

  void close() {
    sync.execute(() -> {
      if (closed) {
        return;
      }
      closed = true;
      stop(cancelled("connection closed"), null);
    });
    for (PresenceWatch watch : watches) {
      watch.close();
    }
  }

  PresenceWatch watch(List<String> userIds, WatchListener listener) {
    PresenceWatch watch = client.directory().watch(userIds, () -> currentToken, listener);
    watches.add(watch);
    sync.execute(() -> {
      if (closed) {
        watch.close();
      }
    });
    return watch;
  }

  // ---- connect rounds ------------------------------------------------------------------------------------------

  private void round() {
    roundTimer = null;
    if (!ticketsLoaded) {
      long gen = generation;
      tickets.load().whenComplete((loaded, error) -> sync.execute(() -> {
        if (!ticketsLoaded) {
          ticketsLoaded = true;
          if (loaded != null && ticket == null) {
            ticket = loaded.filter(c -> c.matches(options.username(), options.deviceId())).orElse(null);
          }
        }
        if (gen == generation && active) {
          round();
        }
      }));
      return;
    }
    if (token != null && time.nanoTime() < tokenExpiresNanos) {
      register(false);
      return;
    }
    long gen = generation;
    authenticate().whenComplete((v, error) -> sync.execute(() -> {
      if (gen != generation || !active) {
        return;
      }
      if (error == null) {
        register(true);
      } else {
        roundFailed(error);
      }
    }));
  }

  private void roundFailed(Throwable error) {
    Throwable terminal = terminalCause(error);
    if (terminal != null) {
      stop(terminal, terminal);
      return;
    }
    long now = time.nanoTime();
    CallFailedException failure = error instanceof CallFailedException ? (CallFailedException) error : null;
    failedRounds++;
    boolean waitingForConnection = failure != null && !failure.reachedServer() && !failure.rejectedLocally()
        && (failure.code() == Status.Code.DEADLINE_EXCEEDED || failure.code() == Status.Code.UNAVAILABLE);
    // No server answered: the channel is reconnecting on its own short cap, so the next round only has to be
    // there to use the connection. Otherwise a server refused: back off, and never before it asked.
    long delay = afterServerDelay(waitingForConnection ? reconnectBackoff.delayNanos(failedRounds)
        : connectBackoff.delayNanos(failedRounds), failure, now);
    Duration retryIn = Duration.ofNanos(delay);
    for (ConnectionListener listener : listeners) {
      try {
        listener.onConnectRoundFailed(error, retryIn);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "connection listener failed", e);
      }
    }
    roundTimer = schedule(this::round, delay);
  }

  /**
   * The wait before the next call: the client's own delay, or the server's when that is later. In the second case
   * the next call goes out at the time the server named, and the local throttle must not veto it (the server's
   * retry calendar keeps that slot for it).
   */
  private long afterServerDelay(long ownDelayNanos, CallFailedException failure, long now) {
    long serverDelay = notBefore(failure, now) - now;
    nextCallScheduledByServer = serverDelay > 0 && serverDelay >= ownDelayNanos;
    return Math.max(ownDelayNanos, serverDelay);
  }

  private CallSettings settingsForNextCall(CallSettings settings) {
    if (!nextCallScheduledByServer) {
      return settings;
    }
    nextCallScheduledByServer = false;
    return settings.withScheduledByServer(true);
  }

  /** The earliest time the server allows the next call, remembering its last answer across rounds. */
  private long notBefore(CallFailedException failure, long now) {
    if (failure != null && failure.retryAfterNanos() >= 0) {
      notBeforeNanos = Math.max(notBeforeNanos, now + failure.retryAfterNanos());
    }
    return notBeforeNanos;
  }

  // ---- authentication ------------------------------------------------------------------------------------------

  /** Resume (or log in); one at a time, shared by a connect round and a session refresh that meet. */
  private CompletableFuture<Void> authenticate() {
    if (authInFlight != null) {
      return authInFlight;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    authInFlight = done;
    if (ticket != null && options.resumeFirst()) {
      resume(done);
    } else {
      login(done);
    }
    return done;
  }

  private void resume(CompletableFuture<Void> done) {
    ResumeCredentials presented = ticket;
    ResumeRequest request = ResumeRequest.newBuilder()
        .setResumeTicket(presented.resumeTicket())
        .setDeviceId(options.deviceId())
        .build();
    CallSettings settings = settingsForNextCall(authSettings);
    inRoot(() -> client.auth().resumeAsync(request, settings)).whenComplete((response, error) -> sync.execute(() -> {
      if (error == null) {
        acceptGrant(response.getGrant());
        finishAuth(done, null);
      } else if (code(error) == Status.Code.UNAUTHENTICATED) {
        // The one answer that means the ticket is no good (TICKET_INVALID): fall back to the password. Overload,
        // outages and deadlines never do — they would turn a cheap reconnect into an expensive log-in.
        if (ticket == presented) {
          ticket = null;
          tickets.clear();
        }
        for (ConnectionListener listener : listeners) {
          try {
            listener.onTicketRejected();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection listener failed", e);
          }
        }
        login(done);
      } else {
        finishAuth(done, error);
      }
    }));
  }

  private void login(CompletableFuture<Void> done) {
    if (options.password() == null) {
      finishAuth(done, new Terminal(Status.UNAUTHENTICATED
          .withDescription("no valid resume ticket and no password configured").asRuntimeException()));
      return;
    }
    String password;
    try {
      password = options.password().get();
    } catch (RuntimeException e) {
      finishAuth(done, new Terminal(e));
      return;
    }
    if (password == null || password.isEmpty()) {
      finishAuth(done, new Terminal(new IllegalStateException("password: the supplier returned nothing")));
      return;
    }
    LoginRequest request = LoginRequest.newBuilder()
        .setUsername(options.username())
        .setPassword(password)
        .setDeviceId(options.deviceId())
        .build();
    CallSettings settings = settingsForNextCall(authSettings);
    inRoot(() -> client.auth().loginAsync(request, settings)).whenComplete((response, error) -> sync.execute(() -> {
      if (error == null) {
        acceptGrant(response.getGrant());
        finishAuth(done, null);
      } else if (code(error) == Status.Code.UNAUTHENTICATED) {
        finishAuth(done, new Terminal(error));
      } else {
        finishAuth(done, error);
      }
    }));
  }

  private void finishAuth(CompletableFuture<Void> done, Throwable error) {
    if (authInFlight == done) {
      authInFlight = null;
    }
    if (error == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(error);
    }
  }

  /** Takes a new session. Runs even for an abandoned round: the presented ticket is spent, the new one must stay. */
  private void acceptGrant(SessionGrant grant) {
    long now = time.nanoTime();
    userId = grant.getUserId();
    sessionId = grant.getSessionId();
    token = grant.getSessionToken();
    currentToken = token;
    sessionExpiresAt = grant.hasSessionExpiresAt() ? toInstant(grant.getSessionExpiresAt()) : null;
    long lifetime = -1;
    if (sessionExpiresAt != null) {
      lifetime = TimeUnit.MILLISECONDS.toNanos(Math.max(0, sessionExpiresAt.toEpochMilli() - time.currentTimeMillis()));
      tokenExpiresNanos = now + lifetime;
    } else {
      tokenExpiresNanos = Long.MAX_VALUE;
    }
    try {
      ticket = new ResumeCredentials(options.username() == null ? "" : options.username(), userId,
          options.deviceId(), sessionId, grant.getResumeTicket(),
          grant.hasResumeTicketExpiresAt() ? toInstant(grant.getResumeTicketExpiresAt()) : null);
      tickets.save(ticket);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "session grant for user " + userId + " has no usable resume ticket ("
          + e.getMessage() + "); the next reconnect logs in");
      ticket = null;
      tickets.clear();
    }
    refreshFailures = 0;
    publishSnapshot();
    if (active && !closed) {
      scheduleRefresh(lifetime);
    }
  }

  // ---- presence ------------------------------------------------------------------------------------------------

  /** @param freshToken whether the token was obtained in this round (a refusal is then not about its age) */
  private void register(boolean freshToken) {
    long gen = generation;
    RegisterRequest request = RegisterRequest.newBuilder()
        .setSessionToken(token)
        .addAllEndpoints(options.endpoints())
        .setNatType(options.natType())
        .build();
    CallSettings settings = settingsForNextCall(presenceSettings);
    inRoot(() -> client.directory().registerAsync(request, settings)).whenComplete((response, error) ->
        sync.execute(() -> {
          if (gen != generation || !active) {
            return;
          }
          if (error == null) {
            long now = time.nanoTime();
            leaseId = response.getLeaseId();
            leaseTtl = response.hasTtl() ? toDuration(response.getTtl()) : null;
            leaseExpiresNanos = now + ttlNanos();
            failedRounds = 0;
            heartbeatFailures = 0;
            publishSnapshot();
            transition(ConnectionState.ONLINE, null);
            List<CompletableFuture<Session>> ready = new ArrayList<>(waiters);
            waiters.clear();
            Session session = snapshot;
            ready.forEach(w -> w.complete(session));
            scheduleHeartbeat();
            return;
          }
          if (code(error) == Status.Code.UNAUTHENTICATED) {
            // The directory refused the token (expired, revoked, keys rotated). An old token: get a new one now.
            // A token fresh from auth: something is off between the services, so back off before trying again.
            forgetSession();
            if (!freshToken) {
              round();
              return;
            }
          }
          roundFailed(error);
        }));
  }

  private void scheduleHeartbeat() {
    heartbeatTimer = schedule(this::heartbeat, jittered(ttlNanos() * options.heartbeatFraction(),
        options.heartbeatJitter()));
  }

  private void heartbeat() {
    heartbeatTimer = null;
    if (state != ConnectionState.ONLINE || leaseId == null || token == null) {
      return;
    }
    long gen = generation;
    String lease = leaseId;
    HeartbeatRequest request = HeartbeatRequest.newBuilder().setSessionToken(token).setLeaseId(lease).build();
    CallSettings settings = settingsForNextCall(presenceSettings);
    inRoot(() -> client.directory().heartbeatAsync(request, settings)).whenComplete((response, error) ->
        sync.execute(() -> {
          if (gen != generation || !active || !lease.equals(leaseId)) {
            return;
          }
          long now = time.nanoTime();
          if (error == null) {
            heartbeatFailures = 0;
            if (response.hasTtl()) {
              leaseTtl = toDuration(response.getTtl());
              publishSnapshot();
            }
            leaseExpiresNanos = now + ttlNanos();
            scheduleHeartbeat();
            return;
          }
          switch (code(error)) {
            case NOT_FOUND:
            case PERMISSION_DENIED:
            case INVALID_ARGUMENT:
              lostPresence(error);
              return;
            case UNAUTHENTICATED:
              forgetSession();
              lostPresence(error);
              return;
            default:
              heartbeatFailures++;
              if (now >= leaseExpiresNanos) {
                lostPresence(error);
                return;
              }
              heartbeatTimer = schedule(this::heartbeat, afterServerDelay(connectBackoff.delayNanos(heartbeatFailures),
                  error instanceof CallFailedException ? (CallFailedException) error : null, now));
          }
        }));
  }

  /** The lease is gone (or about to be): register again, authenticating first if the token is gone too. */
  private void lostPresence(Throwable cause) {
    leaseId = null;
    leaseTtl = null;
    cancel(heartbeatTimer);
    heartbeatTimer = null;
    publishSnapshot();
    transition(ConnectionState.CONNECTING, cause);
    round();
  }

  private long ttlNanos() {
    return leaseTtl == null || leaseTtl.isZero() || leaseTtl.isNegative() ? FALLBACK_TTL_NANOS : leaseTtl.toNanos();
  }

  // ---- session refresh -----------------------------------------------------------------------------------------

  private void scheduleRefresh(long lifetimeNanos) {
    cancel(refreshTimer);
    refreshTimer = null;
    if (lifetimeNanos < 0) {
      return;
    }
    long delay = Math.max(MIN_REFRESH_NANOS, jittered(lifetimeNanos * options.refreshFraction(),
        options.refreshJitter()));
    refreshTimer = schedule(this::refresh, delay);
  }

  private void refresh() {
    refreshTimer = null;
    if (token == null) {
      return;
    }
    long gen = generation;
    authenticate().whenComplete((v, error) -> sync.execute(() -> {
      if (gen != generation || !active || error == null) {
        return;
      }
      Throwable terminal = terminalCause(error);
      if (terminal != null) {
        stop(terminal, terminal);
        return;
      }
      refreshFailures++;
      refreshTimer = schedule(this::refresh, afterServerDelay(connectBackoff.delayNanos(refreshFailures),
          error instanceof CallFailedException ? (CallFailedException) error : null, time.nanoTime()));
    }));
  }

  // ---- plumbing ------------------------------------------------------------------------------------------------

  /** Leaves the active life: timers off, waiters failed, OFFLINE. */
  private void stop(Throwable waiterFailure, Throwable cause) {
    generation++;
    active = false;
    cancel(roundTimer);
    cancel(heartbeatTimer);
    cancel(refreshTimer);
    roundTimer = null;
    heartbeatTimer = null;
    refreshTimer = null;
    leaseId = null;
    leaseTtl = null;
    publishSnapshot();
    List<CompletableFuture<Session>> failed = new ArrayList<>(waiters);
    waiters.clear();
    failed.forEach(w -> w.completeExceptionally(waiterFailure));
    transition(ConnectionState.OFFLINE, cause);
  }

  private void forgetSession() {
    token = null;
    currentToken = null;
    tokenExpiresNanos = 0;
    cancel(refreshTimer);
    refreshTimer = null;
    publishSnapshot();
  }

  private void transition(ConnectionState to, Throwable cause) {
    ConnectionState from = state;
    if (from == to) {
      return;
    }
    state = to;
    publicState = to;
    for (ConnectionListener listener : listeners) {
      try {
        listener.onStateChanged(from, to, cause);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "connection listener failed", e);
      }
    }
  }

  private void publishSnapshot() {
    snapshot = token == null && userId == null ? null
        : new Session(userId, sessionId, token, sessionExpiresAt, leaseId, leaseTtl);
  }

  private SynchronizationContext.ScheduledHandle schedule(Runnable step, long delayNanos) {
    long gen = generation;
    try {
      return sync.schedule(() -> {
        if (gen == generation && active) {
          step.run();
        }
      }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS, time.scheduler());
    } catch (RejectedExecutionException e) {
      // The client's scheduler is gone: the client was closed under this connection.
      sync.execute(() -> {
        if (!closed) {
          closed = true;
          stop(cancelled("client closed"), null);
        }
      });
      return null;
    }
  }

  private static void cancel(SynchronizationContext.ScheduledHandle handle) {
    if (handle != null) {
      handle.cancel();
    }
  }

  private long jittered(double base, double jitter) {
    return (long) (base * (1 - jitter + 2 * jitter * random.nextDouble()));
  }

  private static <T> CompletableFuture<T> inRoot(Supplier<CompletableFuture<T>> call) {
    // Background work of a connection must not inherit the deadline or cancellation of whatever call started it.
    Context previous = Context.ROOT.attach();
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  /** The failure to stop with, or null when another round may succeed. */
  private Throwable terminalCause(Throwable error) {
    if (error instanceof Terminal) {
      return error.getCause();
    }
    if (!(error instanceof StatusRuntimeException)) {
      return error;
    }
    switch (code(error)) {
      case INVALID_ARGUMENT:
      case PERMISSION_DENIED:
      case UNIMPLEMENTED:
        return error;
      case CANCELLED:
        return client.isClosed() ? error : null;
      default:
        return null;
    }
  }

  private static Status.Code code(Throwable error) {
    return error instanceof StatusRuntimeException ? ((StatusRuntimeException) error).getStatus().getCode()
        : Status.Code.UNKNOWN;
  }

  private static StatusRuntimeException cancelled(String why) {
    return Status.CANCELLED.withDescription(why).asRuntimeException();
  }

  private static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** Marks a failure that retrying cannot fix (wrong password, no credentials). */
  private static final class Terminal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Terminal(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
