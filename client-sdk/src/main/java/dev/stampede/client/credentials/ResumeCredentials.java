package dev.stampede.client.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * What a client keeps to resume after a restart: the resume ticket and what it is bound to. The ticket is a bearer
 * secret: {@link #toString()} never shows it.
 *
 * @param username the name the session was opened with (may be empty when unknown)
 * @param userId the account id from the grant
 * @param deviceId the device the ticket is bound to
 * @param sessionId the ticket family
 * @param resumeTicket the single-use ticket for the next Resume
 * @param ticketExpiresAt when the ticket expires (the server's clock), or null when unknown
 */
public record ResumeCredentials(String username, String userId, String deviceId, String sessionId,
    String resumeTicket, Instant ticketExpiresAt) {

  /** Longest ticket the contract allows (auth.proto). */
  public static final int MAX_TICKET_BYTES = 256;

  /** @throws IllegalArgumentException if the ticket is empty or over 256 bytes, or the device id is empty */
  public ResumeCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(resumeTicket, "resumeTicket");
    int bytes = resumeTicket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > MAX_TICKET_BYTES) {
      throw new IllegalArgumentException(
          "resumeTicket: " + bytes + " bytes (expected: 1.." + MAX_TICKET_BYTES + " bytes)");
    }
    if (deviceId.isEmpty()) {
      throw new IllegalArgumentException("deviceId: empty (expected: 1..64 bytes of printable ASCII)");
    }
  }

  /** Whether this ticket may be presented by {@code deviceId} for {@code username} (empty username: any). */
  public boolean matches(String username, String deviceId) {
    return this.deviceId.equals(deviceId) && (this.username.isEmpty() || username == null || username.isEmpty()
        || this.username.equals(username));
  }

  @Override
  public String toString() {
    return "ResumeCredentials{username=" + username + ", userId=" + userId + ", deviceId=" + deviceId
        + ", sessionId=" + sessionId + ", resumeTicket=(redacted), ticketExpiresAt=" + ticketExpiresAt + "}";
  }
}
