package dev.stampede.relay.forward;

import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Frame;
import java.util.ArrayDeque;

/**
 * One direction of a relay, from a source stream to a sink stream, with end-to-end flow control and a hard bound
 * on what it holds.
 *
 * <p>Frames reach the pipe only when it asked its source for them ({@code request(n)} with grpc-java's automatic
 * requests disabled), and it asks only for as many as fit into its buffer if every one of them were a full-size
 * frame: {@code queued + outstanding × maxCharge ≤ capacity}. Frames leave for the sink only while the sink
 * {@link StreamHandle#isReady() is ready}. So a receiver that stops reading fills its transport window, then this
 * buffer, and then the pipe stops asking: the sender's HTTP/2 window runs out and its own {@code isReady()} turns
 * false. Nothing is ever queued beyond {@code capacity}.
 *
 * <p>Each frame is charged its payload plus {@link #FRAME_OVERHEAD} bytes, so a flood of tiny frames is bounded by
 * memory, not by payload.
 *
 * <p>Not thread-safe: the owning {@link Session} calls it under its lock. It is safe against re-entry (grpc-java may
 * deliver a requested message or an on-ready event synchronously from inside {@code request} or {@code send}).
 */
public final class Pipe {
  /** Bytes charged per queued frame beyond its payload: the message objects around it. */
  public static final int FRAME_OVERHEAD = 128;

  private final long capacity;
  private final long maxCharge;
  private final BandwidthLimiter limiter;
  private final ForwardingStats stats;
  private final Runnable wake;
  private final Runnable onSourceEnded;

  private final ArrayDeque<ConnectResponse> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long peakQueuedBytes;
  private int outstanding;
  private StreamHandle source;
  private StreamHandle sink;
  private boolean sourceEnded;
  private boolean endDelivered;
  private boolean pumping;
  private boolean pumpAgain;

  /**
   * @param capacity the most this pipe queues, in charged bytes (at least one full frame)
   * @param maxFramePayload the largest payload a frame may carry
   * @param limiter the pod's bandwidth budget
   * @param stats pod-wide counters
   * @param wake re-runs {@link #pump()} under the session's lock (the limiter calls it when it has refilled)
   * @param onSourceEnded called (under the lock) once the source has ended and everything it sent reached the sink
   */
  Pipe(long capacity, int maxFramePayload, BandwidthLimiter limiter, ForwardingStats stats, Runnable wake,
      Runnable onSourceEnded) {
    this.maxCharge = (long) maxFramePayload + FRAME_OVERHEAD;
    if (capacity < maxCharge) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: ≥ " + maxCharge + ")");
    }
    this.capacity = capacity;
    this.limiter = limiter;
    this.stats = stats;
    this.wake = wake;
    this.onSourceEnded = onSourceEnded;
  }

  /** A new source stream: it has been asked for nothing yet. */
  void attachSource(StreamHandle newSource) {
    source = newSource;
    outstanding = 0;
    sourceEnded = false;
    endDelivered = false;
  }

  /** The source stream is gone: nothing it was asked for will come. */
  void detachSource() {
    source = null;
    outstanding = 0;
  }

  void attachSink(StreamHandle newSink) {
    sink = newSink;
  }

  void detachSink() {
    sink = null;
  }

  /** A frame the source sent (and the pipe asked for). */
  void onFrame(Frame frame) {
    if (outstanding > 0) {
      outstanding--;
    }
    int payload = frame.getData().size();
    long charge = payload + (long) FRAME_OVERHEAD;
    queue.addLast(ConnectResponse.newBuilder().setFrame(frame).build());
    queuedBytes += charge;
    peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
    stats.buffered(charge);
    limiter.consume(payload);
    pump();
  }

  /** The source half-closed: once its frames are delivered, {@code onSourceEnded} runs. */
  void onSourceHalfClosed() {
    sourceEnded = true;
    pump();
  }

  /** Moves what the sink can take and asks the source for what the buffer can hold. */
  void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        deliver();
        requestMore();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  private void deliver() {
    if (sink == null) {
      return;
    }
    while (!queue.isEmpty() && sink.isReady()) {
      ConnectResponse message = queue.pollFirst();
      int payload = message.getFrame().getData().size();
      long charge = payload + (long) FRAME_OVERHEAD;
      queuedBytes -= charge;
      stats.buffered(-charge);
      stats.forwarded(payload);
      sink.send(message);
      if (sink == null) {
        return; // the send ended the sink (re-entrantly): stop here
      }
    }
    if (queue.isEmpty() && sourceEnded && !endDelivered) {
      endDelivered = true;
      onSourceEnded.run();
    }
  }

  private void requestMore() {
    if (source == null || sourceEnded) {
      return;
    }
    long free = capacity - queuedBytes - outstanding * maxCharge;
    int credit = (int) Math.min(Integer.MAX_VALUE, free / maxCharge);
    if (credit <= 0 || !limiter.admit(wake)) {
      return;
    }
    outstanding += credit;
    source.request(credit);
  }

  /** Drops every queued frame (the session ends). */
  void clear() {
    stats.buffered(-queuedBytes);
    queue.clear();
    queuedBytes = 0;
    outstanding = 0;
  }

  /** Charged bytes queued now. */
  long queuedBytes() {
    return queuedBytes;
  }

  /** The most this pipe has ever queued, in charged bytes. */
  long peakQueuedBytes() {
    return peakQueuedBytes;
  }

  /** Frames asked of the source and not yet arrived. */
  int outstanding() {
    return outstanding;
  }

  /** Whether the source half-closed and everything it sent reached the sink. */
  boolean isEndDelivered() {
    return endDelivered;
  }

  boolean hasSink() {
    return sink != null;
  }
}
