package dev.stampede.relay.grpc;

import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.relay.allocation.JoinGrant;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.Inputs;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.Role;
import dev.stampede.relay.forward.Session;
import dev.stampede.relay.forward.StreamHandle;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Connect call: the join handshake, then the bridge between grpc-java's callbacks and the {@link Session} of the
 * allocation.
 *
 * <p>Flow control is manual ({@code disableAutoRequest}): before the join exactly one message is requested; after it
 * the session's pipes request frames as their buffers allow, and grpc-java's on-ready events drive delivery.
 *
 * <p>Thread-safety: before the join the stream's own monitor guards its state; from the join on, every call into the
 * grpc-java call happens under the session's lock (the session invokes this class as a {@link StreamHandle}).
 */
final class ConnectStream implements StreamObserver<ConnectRequest>, StreamHandle {
  private enum State { AWAITING_JOIN, JOINING, JOINED, CLOSED }

  private final ServerCallStreamObserver<ConnectResponse> call;
  private final RelayEndpoint relay;
  private volatile State state = State.AWAITING_JOIN;
  private volatile Session session;
  private volatile Role role;
  private volatile boolean ended;
  private volatile ScheduledFuture<?> joinTimer;

  ConnectStream(ServerCallStreamObserver<ConnectResponse> call, RelayEndpoint relay) {
    this.call = call;
    this.relay = relay;
  }

  /** Sets up flow control and handlers; must run inside the service method, before it returns. */
  ConnectStream start() {
    call.disableAutoRequest();
    call.setOnReadyThreshold(relay.settings().outboundThreshold());
    call.setOnReadyHandler(this::onReady);
    call.setOnCancelHandler(this::gone);
    call.request(1);
    long timeout = relay.settings().joinTimeout().toNanos();
    joinTimer = relay.timer().schedule(this::joinTimedOut, timeout, TimeUnit.NANOSECONDS);
    return this;
  }

  @Override
  public void onNext(ConnectRequest message) {
    Session s = session;
    if (s != null) {
      onJoinedMessage(s, message);
      return;
    }
    JoinRequest join;
    synchronized (this) {
      if (state != State.AWAITING_JOIN) {
        if (state != State.CLOSED) {
          closeEarly(RelayException.invalidArgument("message: received while joining (expected: wait for Joined)"));
        }
        return;
      }
      try {
        join = checkJoin(message);
      } catch (RelayException e) {
        closeEarly(e);
        return;
      }
      state = State.JOINING;
    }
    relay.authenticator().authenticate("join.session_token", join.getSessionToken())
        .thenCompose(user -> relay.allocator().join(user.userId(), join.getAllocationId(), join.getJoinToken()))
        .whenComplete(this::joined);
  }

  private JoinRequest checkJoin(ConnectRequest message) {
    if (relay.isMalformed(message)) {
      throw RelayException.invalidArgument("message: not a valid stampede.relay.v1.ConnectRequest");
    }
    if (!message.hasJoin()) {
      throw RelayException.invalidArgument("first message: " + describe(message) + " (expected: join)");
    }
    JoinRequest join = message.getJoin();
    Inputs.allocationId("join.allocation_id", join.getAllocationId());
    Inputs.sessionToken("join.session_token", join.getSessionToken());
    Inputs.joinToken(join.getJoinToken());
    return join;
  }

  private void onJoinedMessage(Session s, ConnectRequest message) {
    if (relay.isMalformed(message)) {
      s.leave(role, this, RelayException.invalidArgument("message: not a valid stampede.relay.v1.ConnectRequest"));
      return;
    }
    switch (message.getKindCase()) {
      case FRAME -> {
        int size = message.getFrame().getData().size();
        if (size > RelaySettings.MAX_FRAME_BYTES) {
          s.leave(role, this, RelayException.invalidArgument("frame.data: " + size + " bytes (expected: 0.."
              + RelaySettings.MAX_FRAME_BYTES + " bytes)"));
        } else {
          s.onFrame(role, this, message.getFrame());
        }
      }
      case JOIN -> s.leave(role, this,
          RelayException.invalidArgument("join: a second join on one stream (expected: frames)"));
      default -> s.leave(role, this, RelayException.invalidArgument("kind: not set (expected: frame)"));
    }
  }

  private void joined(JoinGrant grant, Throwable error) {
    relay.metrics().join(error);
    if (error != null) {
      closeWhileJoining(error);
      return;
    }
    try {
      relay.sessions().attach(grant.allocationId(), grant.owner(), grant.peer(), grant.role(), this,
          s -> bind(s, grant.role()));
    } catch (RelayException e) {
      closeWhileJoining(e);
    }
  }

  /** Runs under the session's lock: the stream becomes that session's side, unless it went away meanwhile. */
  private synchronized boolean bind(Session s, Role r) {
    if (state != State.JOINING) {
      return false;
    }
    role = r;
    session = s;
    state = State.JOINED;
    ScheduledFuture<?> timer = joinTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    return true;
  }

  @Override
  public void onError(Throwable t) {
    gone();
  }

  @Override
  public void onCompleted() {
    Session s = session;
    if (s != null) {
      s.onHalfClose(role, this);
      return;
    }
    synchronized (this) {
      if (state == State.AWAITING_JOIN || state == State.JOINING) {
        closeEarly(RelayException.invalidArgument("stream: half-closed before joining (expected: join first)"));
      }
    }
  }

  private void onReady() {
    Session s = session;
    if (s != null) {
      s.onReady(role, this);
    }
  }

  /** The client cancelled or the connection broke. */
  private void gone() {
    Session s = session;
    if (s != null) {
      s.leave(role, this, null);
      return;
    }
    synchronized (this) {
      state = State.CLOSED;
      ended = true;
    }
  }

  private void joinTimedOut() {
    synchronized (this) {
      if (state == State.AWAITING_JOIN) {
        closeEarly(RelayException.invalidArgument("join: none within " + relay.settings().joinTimeout()
            + " (expected: a join as the first message)"));
      }
    }
  }

  private synchronized void closeWhileJoining(Throwable error) {
    if (state == State.JOINING) {
      closeEarly(error);
    }
  }

  /** Ends the call before it joined a session; caller holds the monitor. */
  private void closeEarly(Throwable error) {
    state = State.CLOSED;
    if (!ended) {
      ended = true;
      call.onError(relay.statuses().of(error));
    }
  }

  private static String describe(ConnectRequest message) {
    return switch (message.getKindCase()) {
      case FRAME -> "frame";
      case JOIN -> "join";
      default -> "kind not set";
    };
  }

  // StreamHandle: called by the session under its lock.

  @Override
  public void request(int n) {
    if (!ended) {
      call.request(n);
    }
  }

  @Override
  public boolean isReady() {
    return !ended && call.isReady();
  }

  @Override
  public void send(ConnectResponse message) {
    if (!ended) {
      call.onNext(message);
    }
  }

  @Override
  public void complete() {
    if (!ended) {
      ended = true;
      state = State.CLOSED;
      call.onCompleted();
    }
  }

  @Override
  public void fail(RelayException error) {
    if (!ended) {
      ended = true;
      state = State.CLOSED;
      call.onError(relay.statuses().of(error));
    }
  }
}
