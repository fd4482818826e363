package dev.stampede.relay.forward;

import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.Role;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The live {@link Session}s of this pod, by allocation id. A session is created when the first side of an
 * allocation joins here and dropped when its last side leaves. Thread-safe.
 */
public final class Sessions {
  private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
  private final long streamBuffer;
  private final BandwidthLimiter limiter;
  private final ForwardingStats stats;

  /**
   * @param streamBuffer the bound of each direction's queue, in charged bytes
   * @param limiter the pod's bandwidth budget
   * @param stats pod-wide counters
   */
  public Sessions(long streamBuffer, BandwidthLimiter limiter, ForwardingStats stats) {
    this.streamBuffer = streamBuffer;
    this.limiter = limiter;
    this.stats = stats;
  }

  /**
   * Connects {@code handle} as side {@code role} of allocation {@code allocationId} between users {@code owner}
   * and {@code peer}, creating its session if
   * needed. {@code bind} runs under the session's lock right before the side is attached and returns false if the
   * stream went away meanwhile.
   *
   * @return the session, or null if {@code bind} declined
   * @throws RelayException {@code ALREADY_CONNECTED} if that side is connected on another stream
   */
  public Session attach(String allocationId, String owner, String peer, Role role, StreamHandle handle,
      Predicate<Session> bind) {
    while (true) {
      Session session = byId.computeIfAbsent(allocationId,
          id -> new Session(id, owner, peer, streamBuffer, limiter, stats, s -> byId.remove(s.allocationId(), s)));
      switch (session.attach(role, handle, bind)) {
        case ATTACHED:
          return session;
        case ABANDONED:
          return null;
        case ENDED:
        default:
          byId.remove(allocationId, session);
      }
    }
  }

  /** The live session of {@code allocationId}, or null. */
  public Session get(String allocationId) {
    return byId.get(allocationId);
  }

  /** A snapshot of the live sessions. */
  public List<Session> all() {
    return List.copyOf(byId.values());
  }

  /** How many allocations have a live session here. */
  public int size() {
    return byId.size();
  }

  /** The largest number of charged bytes one direction of one session queues right now. */
  public long largestBuffer() {
    long max = 0;
    for (Session s : byId.values()) {
      for (Role r : Role.values()) {
        max = Math.max(max, s.bufferedBytes(r));
      }
    }
    return max;
  }

  public ForwardingStats stats() {
    return stats;
  }
}
