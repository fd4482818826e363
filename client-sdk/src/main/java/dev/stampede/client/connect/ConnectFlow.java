package dev.stampede.client.connect;

import static dev.stampede.client.connect.Failures.cancelled;
import static dev.stampede.client.connect.Failures.code;

import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;
import dev.stampede.client.Service;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.credentials.ResumeCredentials;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.time.TimeSource;
import dev.stampede.client.transport.ReconnectOptions;
import dev.stampede.client.watch.PresenceWatch;
import dev.stampede.client.watch.WatchListener;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The state machine behind {@link Connection}. Every mutable field is confined to {@link #sync}: call results and
 * timers re-enter through it, so the flow needs no locks and holds no thread. A generation counter, bumped by
 * disconnect, close and terminal failures, makes late results of an abandoned round harmless.
 */
final class ConnectFlow {
  private static final SecureRandom KEYS = new SecureRandom();
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
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
  private final ServerPacing pacing;
  private final SessionState session = new SessionState();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<PresenceWatch> watches = new CopyOnWriteArrayList<>();

  private volatile ConnectionState publicState = ConnectionState.OFFLINE;
  private volatile Session snapshot;

  private ConnectionState state = ConnectionState.OFFLINE;
  private boolean closed;
  private boolean active;
  private long generation;
  private final List<CompletableFuture<Session>> waiters = new ArrayList<>();
  private boolean ticketsLoaded;
  private ResumeCredentials ticket;
  private ResumeCredentials keyedTicket;
  private String ticketKey;
  private CompletableFuture<Void> authInFlight;
  private SynchronizationContext.ScheduledHandle roundTimer;
  private SynchronizationContext.ScheduledHandle heartbeatTimer;
  private SynchronizationContext.ScheduledHandle refreshTimer;
  private int failedRounds;
  private int heartbeatFailures;
  private int refreshFailures;

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
    this.pacing = new ServerPacing(options.honourServerDelays(), time.nanoTime());
    this.listeners.addAll(options.listeners());
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
      String lease = session.leaseId();
      String token = session.token();
      stop(cancelled("disconnected"), null);
      if (lease == null || token == null || closed) {
        done.complete(null);
        return;
      }
      UnregisterRequest request = UnregisterRequest.newBuilder().setSessionToken(token).setLeaseId(lease).build();
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
        String token = session.token();
        forgetToken();
        ticket = null;
        tickets.clear();
        if (token == null || closed) {
          tickets.flushed().whenComplete((v, e) -> done.complete(null));
          return;
        }
        inRoot(() -> client.auth().logoutAsync(LogoutRequest.newBuilder().setSessionToken(token).build(),
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
      if (!closed) {
        closed = true;
        stop(cancelled("connection closed"), null);
      }
    });
    watches.forEach(PresenceWatch::close);
  }

  PresenceWatch watch(List<String> userIds, WatchListener listener) {
    PresenceWatch watch = client.directory().watch(userIds, () -> {
      Session current = snapshot;
      return current == null ? null : current.sessionToken();
    }, listener);
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
    round(false);
  }

  /** One connect round; {@code connectionAwaited} when it has already waited for auth's connection. */
  private void round(boolean connectionAwaited) {
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
    if (session.tokenValid(time.nanoTime())) {
      register(false);
      return;
    }
    if (!connectionAwaited && waitsForConnection()) {
      awaitAuthConnection();
      return;
    }
    whenCurrent(authenticate(), error -> {
      if (error == null) {
        register(true);
      } else {
        roundFailed(error);
      }
    });
  }

  private boolean waitsForConnection() {
    return !Boolean.FALSE.equals(authSettings.waitForReady())
        && client.connectivityState(Service.AUTH) != ConnectivityState.READY;
  }

  /**
   * Waits for auth's channel to be READY (at most one auth deadline), then goes on with the round. The Resume or
   * Login deadline then starts when there is a server to answer: after a reboot of servers and clients together, a
   * call sent at once would spend most of its deadline waiting for auth to come back and time out in the queue of a
   * just-started pod — whose answer, a rotated ticket, is then lost and turns the next Resume into a log-in.
   */
  private void awaitAuthConnection() {
    CompletableFuture<Void> ready = client.whenReady(Service.AUTH);
    Duration bound = authSettings.deadline() != null ? authSettings.deadline() : client.defaultDeadline();
    // Not tied to this round: an abandoned round's wait must end too, or it would watch the channel until READY.
    ScheduledFuture<?> giveUp;
    try {
      giveUp = time.scheduler().schedule(() -> ready.complete(null), bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      ready.complete(null);
      giveUp = null;
    }
    ScheduledFuture<?> timer = giveUp;
    whenCurrent(ready, error -> {
      if (timer != null) {
        timer.cancel(false);
      }
      // Ready, waited long enough, or the channel shut down: the call now finds out and fails the round as before.
      round(true);
    });
  }

  private void roundFailed(Throwable error) {
    Throwable terminal = Failures.terminalCause(error, client.isClosed());
    if (terminal != null) {
      stop(terminal, terminal);
      return;
    }
    failedRounds++;
    CallFailedException failure = error instanceof CallFailedException ? (CallFailedException) error : null;
    boolean waitingForConnection = failure != null && !failure.reachedServer() && !failure.rejectedLocally()
        && (failure.code() == Status.Code.DEADLINE_EXCEEDED || failure.code() == Status.Code.UNAVAILABLE);
    // No server answered: the channel reconnects on its own short cap, the next round only has to be there to use
    // the connection. Otherwise a server refused: back off, and never before it asked.
    long delay = pacing.delayNanos(waitingForConnection ? reconnectBackoff.delayNanos(failedRounds)
        : connectBackoff.delayNanos(failedRounds), error, time.nanoTime());
    Duration retryIn = Duration.ofNanos(delay);
    notify(l -> l.onConnectRoundFailed(error, retryIn));
    roundTimer = schedule(this::round, delay);
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
        .setIdempotencyKey(idempotencyKey(presented))
        .build();
    CallSettings settings = pacing.settingsForNextCall(authSettings);
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
        notify(ConnectionListener::onTicketRejected);
        if (closed) {
          // A call that outlived close(): its answer still counts for the ticket, but a closed connection starts
          // nothing, least of all a password log-in.
          finishAuth(done, error);
          return;
        }
        login(done);
      } else {
        finishAuth(done, error);
      }
    }));
  }

  /**
   * The idempotency key of {@code presented} (auth.proto): random, picked on its first Resume and the same on every
   * resend of it by this process, so a Resume whose answer was lost is granted again instead of counting as re-use.
   * Kept in memory only, never in the credential store: a copy of the stored credentials replayed after the owner
   * resumed must meet re-use detection. A process that restarts between a Resume and its answer therefore still
   * pays one log-in.
   */
  private String idempotencyKey(ResumeCredentials presented) {
    if (keyedTicket != presented) {
      byte[] bytes = new byte[16];
      KEYS.nextBytes(bytes);
      keyedTicket = presented;
      ticketKey = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    return ticketKey;
  }

  private void login(CompletableFuture<Void> done) {
    if (options.password() == null) {
      finishAuth(done, new Failures.Terminal(Status.UNAUTHENTICATED
          .withDescription("no valid resume ticket and no password configured").asRuntimeException()));
      return;
    }
    String password;
    try {
      password = options.password().get();
    } catch (RuntimeException e) {
      finishAuth(done, new Failures.Terminal(e));
      return;
    }
    if (password == null || password.isEmpty()) {
      finishAuth(done, new Failures.Terminal(new IllegalStateException("password: the supplier returned nothing")));
      return;
    }
    LoginRequest request = LoginRequest.newBuilder()
        .setUsername(options.username())
        .setPassword(password)
        .setDeviceId(options.deviceId())
        .build();
    CallSettings settings = pacing.settingsForNextCall(authSettings);
    inRoot(() -> client.auth().loginAsync(request, settings)).whenComplete((response, error) -> sync.execute(() -> {
      if (error == null) {
        acceptGrant(response.getGrant());
        finishAuth(done, null);
      } else if (code(error) == Status.Code.UNAUTHENTICATED) {
        finishAuth(done, new Failures.Terminal(error));
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
    long lifetime = session.accept(grant, time.nanoTime(), time.currentTimeMillis());
    try {
      ticket = new ResumeCredentials(options.username() == null ? "" : options.username(), session.userId(),
          options.deviceId(), session.sessionId(), grant.getResumeTicket(),
          grant.hasResumeTicketExpiresAt() ? SessionState.toInstant(grant.getResumeTicketExpiresAt()) : null);
      tickets.save(ticket);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "session grant for user " + session.userId()
          + " has no usable resume ticket (" + e.getMessage() + "); the next reconnect logs in");
      ticket = null;
      tickets.clear();
    }
    refreshFailures = 0;
    snapshot = session.snapshot();
    if (active && !closed) {
      scheduleRefresh(lifetime);
    }
  }

  // ---- presence ------------------------------------------------------------------------------------------------

  /** @param freshToken whether the token was obtained in this round (a refusal is then not about its age) */
  private void register(boolean freshToken) {
    RegisterRequest request = RegisterRequest.newBuilder()
        .setSessionToken(session.token())
        .addAllEndpoints(options.endpoints())
        .setNatType(options.natType())
        .build();
    CallSettings settings = pacing.settingsForNextCall(presenceSettings);
    whenCurrent(inRoot(() -> client.directory().registerAsync(request, settings)), (response, error) -> {
      if (error == null) {
        session.lease(response.getLeaseId(), response.hasTtl() ? SessionState.toDuration(response.getTtl()) : null,
            time.nanoTime());
        failedRounds = 0;
        heartbeatFailures = 0;
        snapshot = session.snapshot();
        transition(ConnectionState.ONLINE, null);
        List<CompletableFuture<Session>> ready = new ArrayList<>(waiters);
        waiters.clear();
        Session current = snapshot;
        ready.forEach(w -> w.complete(current));
        scheduleHeartbeat();
        return;
      }
      if (code(error) == Status.Code.UNAUTHENTICATED) {
        // The directory refused the token (expired, revoked, keys rotated). An old token: get a new one now. A
        // token fresh from auth: something is off between the services, so back off before trying again.
        forgetToken();
        if (!freshToken) {
          round();
          return;
        }
      }
      roundFailed(error);
    });
  }

  private void scheduleHeartbeat() {
    heartbeatTimer = schedule(this::heartbeat, jittered(session.ttlNanos() * options.heartbeatFraction(),
        options.heartbeatJitter()));
  }

  private void heartbeat() {
    heartbeatTimer = null;
    String lease = session.leaseId();
    if (state != ConnectionState.ONLINE || lease == null || session.token() == null) {
      return;
    }
    HeartbeatRequest request = HeartbeatRequest.newBuilder().setSessionToken(session.token()).setLeaseId(lease)
        .build();
    CallSettings settings = pacing.settingsForNextCall(presenceSettings);
    whenCurrent(inRoot(() -> client.directory().heartbeatAsync(request, settings)), (response, error) -> {
      if (!lease.equals(session.leaseId())) {
        return;
      }
      long now = time.nanoTime();
      if (error == null) {
        heartbeatFailures = 0;
        session.extendLease(response.hasTtl() ? SessionState.toDuration(response.getTtl()) : null, now);
        snapshot = session.snapshot();
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
          forgetToken();
          lostPresence(error);
          return;
        default:
          heartbeatFailures++;
          if (session.leaseExpired(now)) {
            lostPresence(error);
            return;
          }
          heartbeatTimer = schedule(this::heartbeat,
              pacing.delayNanos(connectBackoff.delayNanos(heartbeatFailures), error, now));
      }
    });
  }

  /** The lease is gone (or about to be): register again, authenticating first if the token is gone too. */
  private void lostPresence(Throwable cause) {
    session.forgetLease();
    cancel(heartbeatTimer);
    heartbeatTimer = null;
    snapshot = session.snapshot();
    transition(ConnectionState.CONNECTING, cause);
    round();
  }

  // ---- session refresh -----------------------------------------------------------------------------------------

  private void scheduleRefresh(long lifetimeNanos) {
    cancel(refreshTimer);
    refreshTimer = null;
    if (lifetimeNanos >= 0) {
      refreshTimer = schedule(this::refresh, Math.max(MIN_REFRESH_NANOS,
          jittered(lifetimeNanos * options.refreshFraction(), options.refreshJitter())));
    }
  }

  private void refresh() {
    refreshTimer = null;
    if (session.token() == null) {
      return;
    }
    whenCurrent(authenticate(), error -> {
      if (error == null) {
        return;
      }
      Throwable terminal = Failures.terminalCause(error, client.isClosed());
      if (terminal != null) {
        stop(terminal, terminal);
        return;
      }
      refreshFailures++;
      refreshTimer = schedule(this::refresh,
          pacing.delayNanos(connectBackoff.delayNanos(refreshFailures), error, time.nanoTime()));
    });
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
    session.forgetLease();
    snapshot = session.snapshot();
    List<CompletableFuture<Session>> failed = new ArrayList<>(waiters);
    waiters.clear();
    failed.forEach(w -> w.completeExceptionally(waiterFailure));
    transition(ConnectionState.OFFLINE, cause);
  }

  private void forgetToken() {
    session.forgetToken();
    cancel(refreshTimer);
    refreshTimer = null;
    snapshot = session.snapshot();
  }

  private void transition(ConnectionState to, Throwable cause) {
    ConnectionState from = state;
    if (from != to) {
      state = to;
      publicState = to;
      notify(l -> l.onStateChanged(from, to, cause));
    }
  }

  private void notify(Consumer<ConnectionListener> event) {
    for (ConnectionListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "connection listener failed", e);
      }
    }
  }

  /** Runs {@code then} in the flow's context when {@code future} ends, unless the round was abandoned meanwhile. */
  private <T> void whenCurrent(CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> then) {
    long gen = generation;
    future.whenComplete((value, error) -> sync.execute(() -> {
      if (gen == generation && active) {
        then.accept(value, error);
      }
    }));
  }

  private void whenCurrent(CompletableFuture<Void> future, Consumer<Throwable> then) {
    whenCurrent(future, (Void v, Throwable error) -> then.accept(error));
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
}
