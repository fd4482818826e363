package dev.stampede.relay.forward;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pod-wide counters of the forwarding core, read by metrics and tests. Thread-safe.
 */
public final class ForwardingStats {
  private final LongAdder bytesForwarded = new LongAdder();
  private final LongAdder framesForwarded = new LongAdder();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong activeStreams = new AtomicLong();

  void forwarded(int payloadBytes) {
    bytesForwarded.add(payloadBytes);
    framesForwarded.increment();
  }

  void buffered(long delta) {
    bufferedBytes.addAndGet(delta);
  }

  void streams(int delta) {
    activeStreams.addAndGet(delta);
  }

  /** Payload bytes handed to receivers' transports since start. */
  public long bytesForwarded() {
    return bytesForwarded.sum();
  }

  /** Frames handed to receivers' transports since start. */
  public long framesForwarded() {
    return framesForwarded.sum();
  }

  /** Bytes (with per-frame overhead) queued in all pipes right now. */
  public long bufferedBytes() {
    return bufferedBytes.get();
  }

  /** Joined Connect streams right now. */
  public long activeStreams() {
    return activeStreams.get();
  }
}
