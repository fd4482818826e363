package dev.stampede.client.relay;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.Joined;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One side of a relay allocation ({@code RelayService.Connect}): joins, then carries frames both ways with gRPC
 * flow control end to end.
 *
 * <p><b>Sending.</b> {@link #send} never blocks; frames sent while {@link #isReady()} is false are buffered by
 * gRPC, so a well-behaved sender sends while ready and otherwise waits for {@link #whenReady()} or
 * {@link RelayListener#onReady()}. That is how a slow receiver slows its sender down through the relay.
 *
 * <p><b>Receiving.</b> By default the stream asks for {@link Options#window()} messages and one more each time the
 * listener returns from a callback, so at most a window of frames waits in the client. With
 * {@link Options#manualFlowControl()} the caller asks with {@link #request(int)} itself.
 *
 * <p>Thread-safe: {@link #send}, {@link #halfClose} and {@link #cancel} may be called from any thread.
 */
public final class RelayStream {
  /** Largest frame payload (relay.proto). */
  public static final int MAX_FRAME_BYTES = 65536;

  private final ClientCall<ConnectRequest, ConnectResponse> call;
  private final RelayListener listener;
  private final boolean autoRequest;
  private final CompletableFuture<Joined> joined = new CompletableFuture<>();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();
  private final Object sendLock = new Object();
  private final List<CompletableFuture<Void>> readyWaiters = new ArrayList<>();
  private boolean halfClosed;

  private RelayStream(ClientCall<ConnectRequest, ConnectResponse> call, RelayListener listener, boolean autoRequest) {
    this.call = call;
    this.listener = listener;
    this.autoRequest = autoRequest;
  }

  /**
   * Opens the stream and sends the join.
   *
   * @param channel a channel to the relay pod that holds the allocation
   * @throws IllegalArgumentException if the join lacks its allocation id or session token
   */
  public static RelayStream open(Channel channel, JoinRequest join, RelayListener listener, Options options) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(options, "options");
    if (join.getAllocationId().isEmpty()) {
      throw new IllegalArgumentException("join.allocation_id: empty (expected: 1..64 bytes)");
    }
    if (join.getSessionToken().isEmpty()) {
      throw new IllegalArgumentException("join.session_token: empty (expected: 1..1024 bytes)");
    }
    // A relay stream lives as long as the conversation, not as long as whatever call happened to open it.
    Context previous = Context.ROOT.attach();
    try {
      ClientCall<ConnectRequest, ConnectResponse> call =
          channel.newCall(RelayServiceGrpc.getConnectMethod(), CallOptions.DEFAULT);
      RelayStream stream = new RelayStream(call, listener, !options.manual);
      call.start(stream.new CallListener(), new Metadata());
      call.request(options.window);
      call.sendMessage(ConnectRequest.newBuilder().setJoin(join).build());
      return stream;
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  /** The join request that moves this side to the allocation named by a {@link Draining} message. */
  public static JoinRequest rejoinRequest(Draining draining, String sessionToken) {
    return JoinRequest.newBuilder()
        .setAllocationId(draining.getAllocationId())
        .setSessionToken(sessionToken)
        .setJoinToken(draining.getRejoinToken())
        .build();
  }

  /** Whether a frame sent now goes out without buffering. */
  public boolean isReady() {
    return call.isReady();
  }

  /** Completes when the stream is ready for more frames (at once if it is now). */
  public CompletableFuture<Void> whenReady() {
    synchronized (sendLock) {
      if (call.isReady() || closed.isDone()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      readyWaiters.add(waiter);
      return waiter;
    }
  }

  /**
   * Sends one frame to the other side.
   *
   * @throws IllegalArgumentException if {@code data} is larger than {@link #MAX_FRAME_BYTES}
   * @throws IllegalStateException after {@link #halfClose()} or {@link #cancel}
   */
  public void send(ByteString data) {
    Objects.requireNonNull(data, "data");
    if (data.size() > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("data: " + data.size() + " bytes (expected: <= " + MAX_FRAME_BYTES + ")");
    }
    synchronized (sendLock) {
      if (halfClosed) {
        throw new IllegalStateException("send: the stream is closed for sending");
      }
      call.sendMessage(ConnectRequest.newBuilder().setFrame(Frame.newBuilder().setData(data)).build());
    }
  }

  /** Asks for {@code n} more messages (with manual flow control). */
  public void request(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n: " + n + " (expected: > 0)");
    }
    call.request(n);
  }

  /** Says this side has nothing more to send. Idempotent. */
  public void halfClose() {
    synchronized (sendLock) {
      if (!halfClosed) {
        halfClosed = true;
        call.halfClose();
      }
    }
  }

  /** Leaves the stream at once (the other side sees ABORTED or a peer-left message). */
  public void cancel(String reason) {
    synchronized (sendLock) {
      halfClosed = true;
    }
    call.cancel(reason, null);
  }

  /** Completes with the {@link Joined} message, or exceptionally if the stream ends before it. */
  public CompletableFuture<Joined> joined() {
    return joined;
  }

  /** Completes with the final status when the stream ends. */
  public CompletableFuture<Status> closed() {
    return closed;
  }

  /** How the stream asks for incoming messages. Immutable. */
  public static final class Options {
    /** Messages asked for ahead of the listener. */
    public static final int DEFAULT_WINDOW = 8;
    private static final Options DEFAULTS = new Options(DEFAULT_WINDOW, false);

    private final int window;
    private final boolean manual;

    private Options(int window, boolean manual) {
      this.window = window;
      this.manual = manual;
    }

    public static Options defaults() {
      return DEFAULTS;
    }

    /**
     * Messages requested at start (and kept requested with automatic flow control).
     *
     * @throws IllegalArgumentException if not in 1..1024
     */
    public Options withWindow(int window) {
      if (window < 1 || window > 1024) {
        throw new IllegalArgumentException("window: " + window + " (expected: 1..1024)");
      }
      return new Options(window, manual);
    }

    /** After the initial window, the caller asks for more with {@link RelayStream#request(int)}. */
    public Options manualFlowControl() {
      return new Options(window, true);
    }

    public int window() {
      return window;
    }

    public boolean isManual() {
      return manual;
    }
  }

  private final class CallListener extends ClientCall.Listener<ConnectResponse> {
    @Override
    public void onMessage(ConnectResponse message) {
      try {
        switch (message.getKindCase()) {
          case JOINED:
            joined.complete(message.getJoined());
            listener.onJoined(message.getJoined());
            break;
          case FRAME:
            listener.onFrame(message.getFrame().getData());
            break;
          case PEER:
            listener.onPeer(message.getPeer().getPresent());
            break;
          case DRAINING:
            listener.onDraining(message.getDraining());
            break;
          default:
            // A kind this client does not know yet: skip it, the contract only ever adds kinds.
            break;
        }
      } finally {
        if (autoRequest) {
          call.request(1);
        }
      }
    }

    @Override
    public void onReady() {
      List<CompletableFuture<Void>> ready;
      synchronized (sendLock) {
        ready = new ArrayList<>(readyWaiters);
        readyWaiters.clear();
      }
      ready.forEach(w -> w.complete(null));
      listener.onReady();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      List<CompletableFuture<Void>> waiting;
      synchronized (sendLock) {
        halfClosed = true;
        waiting = new ArrayList<>(readyWaiters);
        readyWaiters.clear();
      }
      waiting.forEach(w -> w.complete(null));
      joined.completeExceptionally(status.asRuntimeException(trailers));
      closed.complete(status);
      listener.onClosed(status);
    }
  }
}
