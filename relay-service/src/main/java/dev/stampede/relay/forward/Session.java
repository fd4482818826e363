package dev.stampede.relay.forward;

import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.api.relay.v1.Joined;
import dev.stampede.api.relay.v1.PeerState;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.Role;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The live part of one allocation on the pod that holds it: the streams of its two sides and the two
 * {@link Pipe}s between them. It exists while at least one side is connected.
 *
 * <p>Protocol, as seen by the sides:
 * <ul>
 *   <li>a side that joins gets {@code Joined}; the other side, if connected, gets {@code PeerState(present=true)};</li>
 *   <li>frames flow both ways in order, each way with its own flow control and bounded buffer;</li>
 *   <li>a side that half-closes has every frame it sent delivered, then the other side gets
 *       {@code PeerState(present=false)}; when both have half-closed and been delivered, both streams end OK. A side
 *       that half-closes while the other is absent ends at once;</li>
 *   <li>a side that disappears (cancel, transport failure, bad message) ends the other side's stream with
 *       {@code ABORTED}; what was queued between them is dropped. The allocation stays in the store, so both may
 *       join again.</li>
 * </ul>
 *
 * <p>Events name the stream they come from, and are ignored unless it is the side's current stream (a late
 * callback of a stream that already left changes nothing).
 *
 * <p>Thread-safe: every entry point takes the session's lock, and every call into a {@link StreamHandle} happens under
 * it, which serializes the grpc-java calls of both streams. The lock is re-entrant because grpc-java may run a
 * stream's callbacks synchronously inside {@code request()}; the pipes tolerate that.
 */
public final class Session {
  /** Outcome of {@link #attach}. */
  enum Attach { ATTACHED, ENDED, ABANDONED }

  private final String allocationId;
  private final String owner;
  private final String peer;
  private final ForwardingStats stats;
  private final Consumer<Session> onEnded;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Role, StreamHandle> sides = new EnumMap<>(Role.class);
  private final Map<Role, Pipe> from = new EnumMap<>(Role.class);
  private boolean ended;

  Session(String allocationId, String owner, String peer, long streamBuffer, BandwidthLimiter limiter,
      ForwardingStats stats, Consumer<Session> onEnded) {
    this.allocationId = allocationId;
    this.owner = owner;
    this.peer = peer;
    this.stats = stats;
    this.onEnded = onEnded;
    for (Role r : Role.values()) {
      from.put(r, new Pipe(streamBuffer, RelaySettings.MAX_FRAME_BYTES, limiter, stats,
          () -> wake(r), () -> sourceEnded(r)));
    }
  }

  public String allocationId() {
    return allocationId;
  }

  /** The user id of side {@code role}. */
  public String userOf(Role role) {
    return role == Role.OWNER ? owner : peer;
  }

  /**
   * Connects {@code handle} as side {@code role}. {@code bind} runs under the lock just before the side is
   * attached; it returns false if the stream went away meanwhile.
   *
   * @throws RelayException {@code ALREADY_CONNECTED} if that side is connected on another stream
   */
  Attach attach(Role role, StreamHandle handle, Predicate<Session> bind) {
    lock.lock();
    try {
      if (ended) {
        return Attach.ENDED;
      }
      if (sides.containsKey(role)) {
        throw RelayException.of(RelayException.Kind.ALREADY_CONNECTED,
            "this side of allocation " + allocationId + " is already connected on another stream");
      }
      if (!bind.test(this)) {
        endIfEmpty();
        return Attach.ABANDONED;
      }
      sides.put(role, handle);
      stats.streams(1);
      from.get(role).attachSource(handle);
      from.get(role.other()).attachSink(handle);
      StreamHandle other = sides.get(role.other());
      handle.send(ConnectResponse.newBuilder()
          .setJoined(Joined.newBuilder().setAllocationId(allocationId).setPeerPresent(other != null))
          .build());
      if (other != null) {
        other.send(ConnectResponse.newBuilder().setPeer(PeerState.newBuilder().setPresent(true)).build());
      }
      from.get(role.other()).pump();
      from.get(role).pump();
      return Attach.ATTACHED;
    } finally {
      lock.unlock();
    }
  }

  /** A frame from side {@code role}'s stream {@code sender}. */
  public void onFrame(Role role, StreamHandle sender, Frame frame) {
    lock.lock();
    try {
      if (sides.get(role) == sender) {
        from.get(role).onFrame(frame);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Side {@code role}'s stream {@code handle} can take more. */
  public void onReady(Role role, StreamHandle handle) {
    lock.lock();
    try {
      if (sides.get(role) == handle) {
        from.get(role.other()).pump();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Side {@code role}'s stream {@code handle} half-closed: it sends nothing more but still receives. */
  public void onHalfClose(Role role, StreamHandle handle) {
    lock.lock();
    try {
      if (handle == null || sides.get(role) != handle) {
        return;
      }
      if (!sides.containsKey(role.other())) {
        remove(role);
        handle.complete();
        endIfEmpty();
        return;
      }
      from.get(role).onSourceHalfClosed();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Side {@code role}'s stream {@code handle} is leaving abnormally. It ends with {@code error} (null: it is already
   * gone, e.g. cancelled), and the other side's stream ends with {@code ABORTED}.
   */
  public void leave(Role role, StreamHandle handle, RelayException error) {
    lock.lock();
    try {
      if (handle == null || sides.get(role) != handle) {
        return;
      }
      remove(role);
      if (error != null) {
        handle.fail(error);
      }
      StreamHandle other = sides.get(role.other());
      if (other != null) {
        remove(role.other());
        other.fail(RelayException.of(RelayException.Kind.ENDED, "peer left the relay"));
      }
      endIfEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Ends every connected side's stream with {@code error} (release, expiry, end of a drain). */
  public void end(RelayException error) {
    lock.lock();
    try {
      for (Role r : Role.values()) {
        StreamHandle handle = sides.get(r);
        if (handle != null) {
          remove(r);
          handle.fail(error);
        }
      }
      endIfEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Sends {@code draining} to side {@code role} if it is connected; returns whether it was. */
  public boolean sendDraining(Role role, Draining draining) {
    lock.lock();
    try {
      StreamHandle handle = sides.get(role);
      if (handle == null) {
        return false;
      }
      handle.send(ConnectResponse.newBuilder().setDraining(draining).build());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether side {@code role} is connected. */
  public boolean isConnected(Role role) {
    lock.lock();
    try {
      return sides.containsKey(role);
    } finally {
      lock.unlock();
    }
  }

  /** Whether any side is connected. */
  public boolean isLive() {
    lock.lock();
    try {
      return !sides.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Charged bytes queued from side {@code role} towards the other side. */
  public long bufferedBytes(Role from) {
    lock.lock();
    try {
      return this.from.get(from).queuedBytes();
    } finally {
      lock.unlock();
    }
  }

  /** The most ever queued from side {@code role} towards the other side, in charged bytes. */
  public long peakBufferedBytes(Role from) {
    lock.lock();
    try {
      return this.from.get(from).peakQueuedBytes();
    } finally {
      lock.unlock();
    }
  }

  private void wake(Role role) {
    lock.lock();
    try {
      from.get(role).pump();
    } finally {
      lock.unlock();
    }
  }

  /** Called by {@code from[role]} once role's half-close and every frame before it reached the other side. */
  private void sourceEnded(Role role) {
    StreamHandle other = sides.get(role.other());
    if (other == null) {
      return;
    }
    other.send(ConnectResponse.newBuilder().setPeer(PeerState.newBuilder().setPresent(false)).build());
    if (from.get(role.other()).isEndDelivered()) {
      StreamHandle self = sides.get(role);
      remove(role);
      remove(role.other());
      if (self != null) {
        self.complete();
      }
      other.complete();
      endIfEmpty();
    }
  }

  private void remove(Role role) {
    if (sides.remove(role) != null) {
      stats.streams(-1);
      from.get(role).detachSource();
      from.get(role.other()).detachSink();
    }
  }

  private void endIfEmpty() {
    if (!ended && sides.isEmpty()) {
      ended = true;
      for (Pipe p : from.values()) {
        p.clear();
      }
      onEnded.accept(this);
    }
  }
}
