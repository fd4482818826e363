package dev.stampede.auth.domain;

import java.util.concurrent.CompletionStage;

/**
 * Where sessions (resume-ticket families) and revocation records live. Stages complete on the store's I/O
 * thread, never block, and fail with {@link StoreUnavailableException} when the store cannot be reached. Each
 * operation is one atomic round trip.
 */
public interface SessionStore {
  /** A new family: its first ticket's hash, bound to a device. */
  record NewSession(String userId, String sessionId, String deviceId, String ticketHash, long ticketTtlMillis,
      long nowMillis) {
  }

  /**
   * A presented ticket to exchange for {@code nextHash}. {@code authentic} says whether its MAC proved auth issued
   * it: only then may a non-current ticket count as re-use and revoke the family. {@code reuseGraceMillis} &gt; 0
   * lets the ticket rotated away last be presented again for that long after its rotation. A non-empty
   * {@code idempotencyKey} is kept with the rotation: the ticket rotated away last, presented again with the same
   * key, grants again at any time (the client's retry of a Resume whose answer was lost).
   */
  record Rotation(String userId, String sessionId, String deviceId, String presentedHash, boolean authentic,
      String nextHash, long ticketTtlMillis, long nowMillis, long revocationUntilMillis, long reuseGraceMillis,
      String idempotencyKey) {
  }

  /** What became of a {@link Rotation}. */
  enum RotationOutcome {
    /** The presented ticket was current: it is spent and {@code nextHash} is current now. */
    ROTATED,
    /**
     * The presented ticket was the one rotated away last, on the same device, with the idempotency key it was
     * rotated with or less than the re-use grace ago: the answer to that rotation was lost, so {@code nextHash} is
     * current now (the ticket that answer carried is spent) instead of revoking the family.
     */
    REGRANTED,
    /** No such family (never existed, or expired). */
    UNKNOWN,
    /** The family was revoked earlier. */
    REVOKED,
    /** The ticket was current but is bound to another device; nothing changed. */
    WRONG_DEVICE,
    /** Not the current ticket and not provably issued by auth (key rotated out, or forged): nothing changed. */
    STALE,
    /** An authentic ticket that was already rotated: the family and its sessions are revoked now. */
    REUSED
  }

  /** Stores a new family with its first ticket. */
  CompletionStage<Void> open(NewSession session);

  /** Exchanges a presented ticket for the next one, atomically. */
  CompletionStage<RotationOutcome> rotate(Rotation rotation);

  /**
   * Revokes a family and publishes the revocation for verifiers until {@code recordUntilMillis}. Idempotent.
   */
  CompletionStage<Void> revoke(String userId, String sessionId, long nowMillis, long recordUntilMillis);

  /** Whether a session is revoked (its revocation record exists). */
  CompletionStage<Boolean> isRevoked(String userId, String sessionId);
}
