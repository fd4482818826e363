package dev.stampede.directory.it;

import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Random per-run keys (never committed) and tokens minted the way auth mints them. */
public final class TestTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The directory's ring, handed to the service under test. */
  public static final String DIRECTORY_KEYS = KeyRing.randomSpec("d1", RANDOM);
  private static final String AUTH_KEYS = KeyRing.randomSpec("a1", RANDOM);
  private static final String RELAY_KEYS = KeyRing.randomSpec("r1", RANDOM);
  private static final SessionTokenMinter AUTH = SessionTokenMinter.of(List.of(
      KeyRing.parse("auth", AUTH_KEYS), KeyRing.parse("directory", DIRECTORY_KEYS),
      KeyRing.parse("relay", RELAY_KEYS)));
  /** A minter with a directory key of the same id that the service does not hold: a forger's. */
  private static final SessionTokenMinter FORGER = SessionTokenMinter.of(List.of(
      KeyRing.parse("directory", KeyRing.randomSpec("d1", RANDOM))));

  private TestTokens() {
  }

  /** A valid token for every audience, bound to {@code device}, session {@code s-<user>-<device>}. */
  public static String token(String user, String device) {
    return AUTH.mint(claims(user, device, Instant.now(), Duration.ofMinutes(10)));
  }

  /** A valid token for session {@code session}. */
  public static String token(String user, String device, String session) {
    Instant now = Instant.now();
    return AUTH.mint(new SessionClaims(user, device, session, now, now.plus(Duration.ofMinutes(10))));
  }

  /** A valid token, but only for audience relay. */
  public static String relayOnly(String user, String device) {
    return AUTH.mint(claims(user, device, Instant.now(), Duration.ofMinutes(10)), Set.of("relay"));
  }

  /** A token that expired ten minutes ago (well beyond the allowed clock skew). */
  public static String expired(String user, String device) {
    return AUTH.mint(claims(user, device, Instant.now().minus(Duration.ofMinutes(20)), Duration.ofMinutes(10)));
  }

  /** A well-formed token MAC'd with a key the directory does not hold. */
  public static String forged(String user, String device) {
    return FORGER.mint(claims(user, device, Instant.now(), Duration.ofMinutes(10)));
  }

  /** The session id {@link #token(String, String)} uses. */
  public static String sessionOf(String user, String device) {
    return "s-" + user + "-" + device;
  }

  private static SessionClaims claims(String user, String device, Instant issued, Duration ttl) {
    return new SessionClaims(user, device, sessionOf(user, device), issued, issued.plus(ttl));
  }
}
