package dev.stampede.client.connect;

import com.google.protobuf.Timestamp;
import dev.stampede.api.auth.v1.SessionGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The session and presence lease of one connection, with the local estimates of when they expire. Confined to the
 * flow's context; {@link #snapshot()} is the immutable view handed to other threads.
 */
final class SessionState {
  /** Lease TTL assumed when the directory does not say. */
  static final long FALLBACK_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private String userId;
  private String sessionId;
  private String token;
  private Instant sessionExpiresAt;
  private long tokenExpiresNanos;
  private String leaseId;
  private Duration leaseTtl;
  private long leaseExpiresNanos;

  /**
   * Takes a new session from a grant.
   *
   * @return the token's lifetime in nanoseconds by the local clock, or -1 when the server gave no expiry
   */
  long accept(SessionGrant grant, long nowNanos, long wallMillis) {
    userId = grant.getUserId();
    sessionId = grant.getSessionId();
    token = grant.getSessionToken();
    sessionExpiresAt = grant.hasSessionExpiresAt() ? toInstant(grant.getSessionExpiresAt()) : null;
    if (sessionExpiresAt == null) {
      tokenExpiresNanos = Long.MAX_VALUE;
      return -1;
    }
    // The server's clock and ours may disagree: the lifetime is measured from the grant's arrival.
    long lifetime = TimeUnit.MILLISECONDS.toNanos(Math.max(0, sessionExpiresAt.toEpochMilli() - wallMillis));
    tokenExpiresNanos = nowNanos + lifetime;
    return lifetime;
  }

  /** Whether a token is held and not expired by the local estimate. */
  boolean tokenValid(long nowNanos) {
    return token != null && nowNanos < tokenExpiresNanos;
  }

  void forgetToken() {
    token = null;
    tokenExpiresNanos = 0;
  }

  void lease(String id, Duration ttl, long nowNanos) {
    leaseId = id;
    leaseTtl = ttl;
    leaseExpiresNanos = nowNanos + ttlNanos();
  }

  /** A heartbeat extended the lease (with a new TTL when the server gave one). */
  void extendLease(Duration ttl, long nowNanos) {
    if (ttl != null) {
      leaseTtl = ttl;
    }
    leaseExpiresNanos = nowNanos + ttlNanos();
  }

  void forgetLease() {
    leaseId = null;
    leaseTtl = null;
  }

  boolean leaseExpired(long nowNanos) {
    return nowNanos >= leaseExpiresNanos;
  }

  long ttlNanos() {
    return leaseTtl == null || leaseTtl.isZero() || leaseTtl.isNegative() ? FALLBACK_TTL_NANOS : leaseTtl.toNanos();
  }

  String token() {
    return token;
  }

  String leaseId() {
    return leaseId;
  }

  String userId() {
    return userId;
  }

  String sessionId() {
    return sessionId;
  }

  Session snapshot() {
    return token == null && userId == null ? null
        : new Session(userId, sessionId, token, sessionExpiresAt, leaseId, leaseTtl);
  }

  static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
