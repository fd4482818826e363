package dev.stampede.directory.grpc;

import dev.stampede.directory.domain.Inputs;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.SessionTokenVerifier;
import dev.stampede.tokens.VerifiedSession;
import dev.stampede.tokens.revocation.RevocationCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks session tokens for audience {@code directory}, locally (no call to auth): size first
 * ({@code INVALID_ARGUMENT}), then MAC, audience, key id and expiry ({@code UNAUTHENTICATED}). Revocation is checked
 * inside the scripts of Register, Heartbeat and Unregister, and through the cached {@link RevocationCheck} for Lookup
 * and Watch ({@link #verifyNotRevoked}).
 *
 * <p>Refusals are counted by reason ({@code stampede_directory_token_rejected_total{reason}}) through
 * {@link #rejected}; the token itself is never logged. Thread-safe.
 */
final class SessionAuthenticator {
  private final SessionTokenVerifier verifier;
  private final RevocationCheck revocations;
  private final Map<InvalidSessionTokenException.Reason, Counter> rejected =
      new EnumMap<>(InvalidSessionTokenException.Reason.class);

  SessionAuthenticator(SessionTokenVerifier verifier, RevocationCheck revocations, MeterRegistry registry) {
    this.verifier = verifier;
    this.revocations = revocations;
    for (InvalidSessionTokenException.Reason reason : InvalidSessionTokenException.Reason.values()) {
      rejected.put(reason, Counter.builder("stampede_directory_token_rejected_total")
          .description("Session tokens refused, by reason")
          .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
  }

  /**
   * Verifies a token's size, authenticity and expiry.
   *
   * @throws dev.stampede.directory.domain.InvalidInputException for a token outside 1..1024 bytes
   * @throws InvalidSessionTokenException for anything else wrong with it
   */
  VerifiedSession verify(String token) throws InvalidSessionTokenException {
    Inputs.sessionToken(token);
    return verifier.verify(token);
  }

  /** {@link #verify}, then the cached revocation check (at most a few seconds stale). */
  CompletionStage<VerifiedSession> verifyNotRevoked(String token) {
    VerifiedSession session;
    try {
      session = verify(token);
    } catch (InvalidSessionTokenException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return revocations.check(session);
  }

  /** Counts a refusal; the edge calls it once for every token it refuses, wherever the refusal was found. */
  void rejected(InvalidSessionTokenException e) {
    rejected.get(e.reason()).increment();
  }
}
