package dev.stampede.tokens;

import java.time.Instant;

/**
 * A session token that passed {@link SessionTokenVerifier#verify}: authentic for one audience and unexpired at the
 * time of the check. Whether its session was revoked is a separate, cheaper-to-cache question: see
 * {@link dev.stampede.tokens.revocation}.
 *
 * @param claims what the token says
 * @param audience the audience it was verified for
 * @param keyId the id of the key whose MAC matched
 */
public record VerifiedSession(SessionClaims claims, String audience, String keyId) {
  /** The user the session belongs to. */
  public String userId() {
    return claims.userId();
  }

  /** The device the session is bound to. */
  public String deviceId() {
    return claims.deviceId();
  }

  /** The session (resume-ticket family) id, stable across resumes. */
  public String sessionId() {
    return claims.sessionId();
  }

  /** When the token stops being valid. */
  public Instant expiresAt() {
    return claims.expiresAt();
  }
}
