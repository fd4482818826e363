package dev.stampede.client.relay;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.api.relay.v1.Joined;
import io.grpc.Status;

/**
 * Receives what happens on a {@link RelayStream}. Callbacks of one stream are delivered one at a time, in order,
 * on the client's executor; they must not block for long — with automatic flow control the next frame is requested
 * when {@link #onFrame} returns, which is what slows down a sender whose receiver is slow.
 */
public interface RelayListener {

  /** The join was accepted. */
  default void onJoined(Joined joined) {
  }

  /** A frame from the other side, in the order it was sent. */
  void onFrame(ByteString data);

  /** The other side joined ({@code true}) or left its stream ({@code false}). */
  default void onPeer(boolean present) {
  }

  /**
   * The relay pod is shutting down and moved the allocation: connect again with
   * {@link RelayStream#rejoinRequest(Draining, String)} to {@link Draining#getRelayAddress()}.
   */
  default void onDraining(Draining draining) {
  }

  /** The stream can take more frames without buffering ({@link RelayStream#isReady()} turned true). */
  default void onReady() {
  }

  /**
   * The stream ended: OK after both sides finished, ABORTED when the other side left or the allocation was
   * released, another status per relay.proto otherwise.
   */
  default void onClosed(Status status) {
  }
}
