package dev.stampede.auth.domain;

import java.time.Duration;

/**
 * Lifetimes of sessions and tickets.
 *
 * @param sessionTtl lifetime of a session token (minutes: verifiers check revocation only cheaply, expiry bounds
 *     the rest)
 * @param ticketTtl lifetime of a resume ticket; each rotation starts it anew (sliding)
 * @param verifierClockSkew the clock skew verifiers tolerate: tokens live that much longer, and so must the
 *     revocation records
 * @param reuseGrace how long after a rotation the ticket it spent may be presented once more from the same device
 *     and grant again (an answer lost to a deadline or a dropped connection) instead of revoking the family;
 *     zero, the contract's default, revokes at once
 */
public record SessionPolicy(Duration sessionTtl, Duration ticketTtl, Duration verifierClockSkew,
    Duration reuseGrace) {
  /** Extra life of a revocation record beyond the last token it must stop. */
  static final Duration REVOCATION_MARGIN = Duration.ofMinutes(1);

  /** @throws IllegalArgumentException naming the lifetime out of range */
  public SessionPolicy {
    if (sessionTtl.compareTo(Duration.ofSeconds(10)) < 0 || sessionTtl.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("sessionTtl: " + sessionTtl + " (expected: 10s..24h)");
    }
    if (ticketTtl.compareTo(sessionTtl) <= 0 || ticketTtl.compareTo(Duration.ofDays(400)) > 0) {
      throw new IllegalArgumentException("ticketTtl: " + ticketTtl + " (expected: > sessionTtl, ≤ 400 days)");
    }
    if (reuseGrace.isNegative() || reuseGrace.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("reuseGrace: " + reuseGrace + " (expected: 0..1 minute)");
    }
    if (verifierClockSkew.isNegative()) {
      throw new IllegalArgumentException("verifierClockSkew: " + verifierClockSkew + " (expected: ≥ 0)");
    }
  }

  /** How long after a revocation its record must stay visible to verifiers. */
  public Duration revocationRetention() {
    return sessionTtl.plus(verifierClockSkew).plus(REVOCATION_MARGIN);
  }
}
