package dev.stampede.auth.domain;

import java.time.Instant;

/** What a successful log-in or resume hands the client (auth.proto SessionGrant). Holds secrets: never log it. */
public record Grant(String userId, String sessionId, String sessionToken, Instant sessionExpiresAt,
    String resumeTicket, Instant resumeTicketExpiresAt) {
  @Override
  public String toString() {
    return "Grant[user=" + userId + ", session=" + sessionId + "]";
  }
}
