package dev.stampede.client.connect;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of a connection's session and presence lease. Immutable; {@link #toString()} never shows the token.
 *
 * @param userId the account
 * @param sessionId the ticket family
 * @param sessionToken the bearer token for directory and relay
 * @param sessionExpiresAt when the token expires (server clock), or null when the server did not say
 * @param leaseId the presence lease, or null before registration
 * @param leaseTtl the lease's time to live, or null before registration
 */
public record Session(String userId, String sessionId, String sessionToken, Instant sessionExpiresAt,
    String leaseId, Duration leaseTtl) {

  @Override
  public String toString() {
    return "Session{userId=" + userId + ", sessionId=" + sessionId + ", sessionToken=(redacted), sessionExpiresAt="
        + sessionExpiresAt + ", leaseId=" + leaseId + ", leaseTtl=" + leaseTtl + "}";
  }
}
