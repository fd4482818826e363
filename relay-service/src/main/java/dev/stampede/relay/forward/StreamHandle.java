package dev.stampede.relay.forward;

import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.relay.domain.RelayException;

/**
 * One side's Connect stream as the forwarding core sees it: a source of frames that arrive only when requested, a
 * sink that says when it can take more, and a way to end it. Implemented by the gRPC edge over grpc-java's
 * {@code ServerCallStreamObserver}.
 *
 * <p>Not thread-safe: a {@link Session} calls it only under its lock.
 */
public interface StreamHandle {
  /** Asks the transport for {@code n} more messages from this side. */
  void request(int n);

  /** Whether this side's transport can take a message without buffering beyond grpc-java's small threshold. */
  boolean isReady();

  /** Sends a message to this side (frames only when {@link #isReady()}; control messages always). */
  void send(ConnectResponse message);

  /** Ends the stream with OK. No-op if it has ended. */
  void complete();

  /** Ends the stream with the status {@code error} maps to. No-op if it has ended. */
  void fail(RelayException error);
}
