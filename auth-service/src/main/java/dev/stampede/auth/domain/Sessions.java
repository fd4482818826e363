package dev.stampede.auth.domain;

import dev.stampede.auth.domain.ResumeTickets.Authenticity;
import dev.stampede.auth.domain.ResumeTickets.Issued;
import dev.stampede.auth.domain.ResumeTickets.Presented;
import dev.stampede.auth.domain.SessionStore.NewSession;
import dev.stampede.auth.domain.SessionStore.Rotation;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import dev.stampede.tokens.SessionTokenVerifier;
import dev.stampede.tokens.VerifiedSession;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions: opening one after a log-in, resuming with a ticket, logging out, introspection. No password hashing
 * happens here: resume costs two HMACs, a SHA-256 and one store round trip.
 *
 * <p>Thread-safe; every method is non-blocking.
 */
public final class Sessions {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SessionStore store;
  private final ResumeTickets tickets;
  private final SessionTokenMinter minter;
  private final SessionTokenVerifier ownVerifier;
  private final List<SessionTokenVerifier> allVerifiers;
  private final SessionPolicy policy;
  private final Clock clock;
  private final SecureRandom random;
  private final Outcomes outcomes;

  /**
   * @param ownVerifier verifies the {@code auth} audience (Logout, GetSession)
   * @param allVerifiers one verifier per audience the minter signs for (GetSession's audience list)
   */
  public Sessions(SessionStore store, ResumeTickets tickets, SessionTokenMinter minter,
      SessionTokenVerifier ownVerifier, List<SessionTokenVerifier> allVerifiers, SessionPolicy policy, Clock clock,
      SecureRandom random, Outcomes outcomes) {
    this.store = store;
    this.tickets = tickets;
    this.minter = minter;
    this.ownVerifier = ownVerifier;
    this.allVerifiers = List.copyOf(allVerifiers);
    this.policy = policy;
    this.clock = clock;
    this.random = random;
    this.outcomes = outcomes;
  }

  /** Opens a new session (ticket family) on a device, after a successful log-in. */
  public CompletionStage<Grant> open(String userId, String deviceId) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String sessionId = "s" + B64.encodeToString(id);
    Issued ticket = tickets.issue(userId, sessionId);
    Instant now = clock.instant();
    return store.open(new NewSession(userId, sessionId, deviceId, ticket.hash(), policy.ticketTtl().toMillis(),
            now.toEpochMilli()))
        .thenApply(ignored -> grant(userId, deviceId, sessionId, ticket, now));
  }

  /**
   * Exchanges a resume ticket for a new session token and the next ticket.
   *
   * @param idempotencyKey the client's key for this ticket, empty for none: presenting the ticket rotated away last
   *     with the key it was rotated with grants again (a lost answer) instead of counting as re-use
   * @return a stage failing with {@link AuthFailure} ({@code TICKET_INVALID}) when the ticket is refused, or
   *     {@link StoreUnavailableException}
   */
  public CompletionStage<Grant> resume(String ticket, String deviceId, String idempotencyKey) {
    Presented presented;
    try {
      presented = tickets.read(ticket);
    } catch (AuthFailure e) {
      outcomes.record("resume", "malformed");
      return CompletableFuture.failedFuture(e);
    }
    if (presented.authenticity() == Authenticity.FORGED) {
      outcomes.record("resume", "forged");
      return CompletableFuture.failedFuture(new AuthFailure(AuthFailure.Reason.TICKET_INVALID));
    }
    Issued next = tickets.issue(presented.userId(), presented.sessionId());
    Instant now = clock.instant();
    Rotation rotation = new Rotation(presented.userId(), presented.sessionId(), deviceId, presented.hash(),
        presented.authenticity() == Authenticity.AUTHENTIC, next.hash(), policy.ticketTtl().toMillis(),
        now.toEpochMilli(), now.plus(policy.revocationRetention()).toEpochMilli(), policy.reuseGrace().toMillis(),
        idempotencyKey);
    return store.rotate(rotation).thenApply(outcome -> {
      outcomes.record("resume", outcome.name().toLowerCase(Locale.ROOT));
      if (outcome != SessionStore.RotationOutcome.ROTATED && outcome != SessionStore.RotationOutcome.REGRANTED) {
        throw new AuthFailure(AuthFailure.Reason.TICKET_INVALID);
      }
      return grant(presented.userId(), deviceId, presented.sessionId(), next, now);
    });
  }

  /**
   * Revokes the session a token belongs to, and its ticket family. Idempotent for revoked sessions.
   *
   * @return a stage failing with {@link AuthFailure} ({@code SESSION_INVALID}) when the token is malformed, forged
   *     or expired, or {@link StoreUnavailableException}
   */
  public CompletionStage<Void> logout(String token) {
    VerifiedSession session;
    try {
      session = ownVerifier.verify(token);
    } catch (InvalidSessionTokenException e) {
      outcomes.record("logout", e.reason().name().toLowerCase(Locale.ROOT));
      return CompletableFuture.failedFuture(new AuthFailure(AuthFailure.Reason.SESSION_INVALID));
    }
    Instant now = clock.instant();
    return store.revoke(session.userId(), session.sessionId(), now.toEpochMilli(),
            now.plus(policy.revocationRetention()).toEpochMilli())
        .thenRun(() -> outcomes.record("logout", "revoked"));
  }

  /** Says whether a token is active: authentic, unexpired and not revoked (RFC 7662 semantics). */
  public CompletionStage<Introspection> introspect(String token) {
    VerifiedSession session;
    try {
      session = ownVerifier.verify(token);
    } catch (InvalidSessionTokenException e) {
      return CompletableFuture.completedFuture(Introspection.INACTIVE);
    }
    List<String> audiences = new ArrayList<>(allVerifiers.size());
    for (SessionTokenVerifier v : allVerifiers) {
      try {
        v.verify(token);
        audiences.add(v.audience());
      } catch (InvalidSessionTokenException e) {
        // not valid for that audience
      }
    }
    return store.isRevoked(session.userId(), session.sessionId()).thenApply(revoked -> revoked
        ? Introspection.INACTIVE
        : new Introspection(true, session.claims(), List.copyOf(audiences)));
  }

  private Grant grant(String userId, String deviceId, String sessionId, Issued ticket, Instant now) {
    Instant expires = now.plus(policy.sessionTtl());
    SessionClaims claims = new SessionClaims(userId, deviceId, sessionId, now, expires);
    return new Grant(userId, sessionId, minter.mint(claims), claims.expiresAt(), ticket.ticket(),
        now.plus(policy.ticketTtl()));
  }
}
