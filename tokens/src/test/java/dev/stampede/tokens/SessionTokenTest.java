package dev.stampede.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.tokens.InvalidSessionTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokenTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final String authSpec = KeyRing.randomSpec("a1", RANDOM);
  private final String directorySpec = KeyRing.randomSpec("d1", RANDOM);
  private final String relaySpec = KeyRing.randomSpec("r1", RANDOM);
  private final MutableClock clock = new MutableClock(T0);

  private SessionTokenMinter minter(String auth, String directory, String relay) {
    return SessionTokenMinter.of(List.of(
        KeyRing.parse("auth", auth), KeyRing.parse("directory", directory), KeyRing.parse("relay", relay)));
  }

  private SessionTokenVerifier verifier(String audience, String spec) {
    return SessionTokenVerifier.builder().keyRing(KeyRing.parse(audience, spec)).clock(clock).build();
  }

  private static SessionClaims claims(Instant iat, Duration ttl) {
    return new SessionClaims("u_AbC-123", "laptop#7", "s_0123456789", iat, iat.plus(ttl));
  }

  private static Reason reasonOf(SessionTokenVerifier v, String token) {
    try {
      v.verify(token);
      return null;
    } catch (InvalidSessionTokenException e) {
      return e.reason();
    }
  }

  @Test
  void mintedToken_verifiesForEachAudience_withItsClaims() throws Exception {
    SessionClaims claims = claims(T0, Duration.ofMinutes(15));
    String token = minter(authSpec, directorySpec, relaySpec).mint(claims);

    assertThat(token).startsWith("s1.").hasSizeLessThanOrEqualTo(1024);
    for (var v : List.of(verifier("auth", authSpec), verifier("directory", directorySpec),
        verifier("relay", relaySpec))) {
      VerifiedSession s = v.verify(token);
      assertThat(s.claims()).isEqualTo(claims);
      assertThat(s.audience()).isEqualTo(v.audience());
      assertThat(s.userId()).isEqualTo("u_AbC-123");
      assertThat(s.deviceId()).isEqualTo("laptop#7");
      assertThat(s.sessionId()).isEqualTo("s_0123456789");
      assertThat(s.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    }
  }

  @Test
  void directoryToken_isRejectedByRelayVerifier() {
    String token = minter(authSpec, directorySpec, relaySpec)
        .mint(claims(T0, Duration.ofMinutes(5)), Set.of("directory"));

    assertThat(reasonOf(verifier("relay", relaySpec), token)).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(reasonOf(verifier("directory", directorySpec), token)).isNull();
  }

  @Test
  void directorySegment_relabelledAsRelay_failsMac() {
    // Same key id in both rings, so the relabelled segment reaches the MAC check.
    String dir = KeyRing.randomSpec("k", RANDOM);
    String rel = KeyRing.randomSpec("k", RANDOM);
    String token = minter(authSpec, dir, rel).mint(claims(T0, Duration.ofMinutes(5)), Set.of("directory"));
    String relabelled = token.replace(".directory:k:", ".relay:k:");

    assertThat(reasonOf(verifier("relay", rel), relabelled)).isEqualTo(Reason.BAD_MAC);
  }

  @Test
  void verifierHoldingOnlyItsOwnKey_cannotBeFooledByAnotherServicesKey() {
    // A relay pod knows only the relay key; a token the relay pod "mints" with it for directory must fail there.
    SessionTokenMinter rogue = SessionTokenMinter.of(List.of(KeyRing.parse("directory", relaySpec)));
    String forged = rogue.mint(claims(T0, Duration.ofMinutes(5)));

    Reason reason = reasonOf(verifier("directory", directorySpec), forged);
    assertThat(reason).isIn(Reason.BAD_MAC, Reason.UNKNOWN_KEY);
  }

  @Test
  void tamperedPayload_failsMac() {
    String token = minter(authSpec, directorySpec, relaySpec).mint(claims(T0, Duration.ofMinutes(5)));
    // Mint the same claims for another user, then splice that payload under the original MACs.
    String other = minter(authSpec, directorySpec, relaySpec).mint(
        new SessionClaims("attacker", "laptop#7", "s_0123456789", T0, T0.plus(Duration.ofMinutes(5))));
    String spliced = other.substring(0, other.indexOf('.', 3)) + token.substring(token.indexOf('.', 3));

    assertThat(reasonOf(verifier("directory", directorySpec), spliced)).isEqualTo(Reason.BAD_MAC);
  }

  @Test
  void everySingleCharacterChange_isRefused_andNeverThrowsAnythingElse() {
    String token = minter(authSpec, directorySpec, relaySpec).mint(claims(T0, Duration.ofMinutes(5)));
    SessionTokenVerifier relay = verifier("relay", relaySpec);
    String alphabet = "AZaz09_-.:=+/!é\u0000";
    int payloadEnd = token.indexOf('.', 3);
    int relaySegment = token.indexOf(".relay:");
    for (int i = 0; i < token.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (token.charAt(i) == c) {
          continue;
        }
        String mutated = token.substring(0, i) + c + token.substring(i + 1);
        Reason reason = reasonOf(relay, mutated);
        boolean inOtherAudiencesSegment = i > payloadEnd && i < relaySegment;
        if (inOtherAudiencesSegment) {
          continue; // the auth and directory MACs are not the relay verifier's business
        }
        assertThat(reason).as("mutation at %d to %s", i, c).isNotNull();
      }
    }
  }

  @Test
  void garbage_isMalformed() {
    SessionTokenVerifier v = verifier("directory", directorySpec);
    Random random = new Random(42);
    assertThat(reasonOf(v, null)).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1..directory:d1:x")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.abc")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.abc.relay:r1:" + "A".repeat(43))).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(reasonOf(v, "s1.abc.directory")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.abc.directory:d1")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.abc.directory:d1:short")).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "s1.abc.directory:d1:" + "A".repeat(43))).isEqualTo(Reason.BAD_MAC);
    assertThat(reasonOf(v, "s1.abc.directory:zz:" + "A".repeat(43))).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(reasonOf(v, "s1.abc.directory:d1:" + "A".repeat(1100))).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(v, "eyJhbGciOiJIUzI1NiJ9.e30.x")).isEqualTo(Reason.MALFORMED);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      String s = (i % 2 == 0 ? "s1." : "") + new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(reasonOf(v, s)).isNotNull();
    }
  }

  @Test
  void expiry_honoursAllowedSkew() throws Exception {
    String token = minter(authSpec, directorySpec, relaySpec).mint(claims(T0, Duration.ofMinutes(5)));
    SessionTokenVerifier v = SessionTokenVerifier.builder()
        .keyRing(KeyRing.parse("relay", relaySpec)).clock(clock).allowedClockSkew(Duration.ofSeconds(10)).build();

    clock.advance(Duration.ofMinutes(5).plusSeconds(9));
    assertThat(v.verify(token).userId()).isEqualTo("u_AbC-123");
    clock.advance(Duration.ofSeconds(1));
    assertThat(reasonOf(v, token)).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void tokenFromTheFuture_beyondSkew_isNotYetValid() {
    String token = minter(authSpec, directorySpec, relaySpec)
        .mint(claims(T0.plus(Duration.ofMinutes(2)), Duration.ofMinutes(5)));

    assertThat(reasonOf(verifier("relay", relaySpec), token)).isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void keyRotation_keepsOldTokensValidUntilExpiry() throws Exception {
    String oldKey = directorySpec;
    String newKey = KeyRing.randomSpec("d2", RANDOM);
    String before = minter(authSpec, oldKey, relaySpec).mint(claims(T0, Duration.ofMinutes(5)));

    // Step 2 of the rotation: auth signs with d2, verifiers accept d2 and d1.
    SessionTokenVerifier rotated = verifier("directory", newKey + "," + oldKey);
    String after = minter(authSpec, newKey + "," + oldKey, relaySpec).mint(claims(T0, Duration.ofMinutes(5)));

    assertThat(rotated.verify(before).keyId()).isEqualTo("d1");
    assertThat(rotated.verify(after).keyId()).isEqualTo("d2");
    assertThat(reasonOf(verifier("directory", oldKey), after)).isEqualTo(Reason.UNKNOWN_KEY);
    // Step 3, after the token TTL: d1 leaves the ring; tokens it signed (expired by now anyway) are refused.
    assertThat(reasonOf(verifier("directory", newKey), before)).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(verifier("directory", newKey).verify(after).keyId()).isEqualTo("d2");
  }

  @Test
  void minter_rejectsSharedKeysAndUnknownAudiences() {
    assertThatThrownBy(() -> minter(authSpec, directorySpec, directorySpec.replace("d1:", "r1:")))
        .hasMessageContaining("audiences directory and relay share a key");
    SessionTokenMinter m = minter(authSpec, directorySpec, relaySpec);
    assertThat(m.audiences()).containsExactly("auth", "directory", "relay");
    assertThatThrownBy(() -> m.mint(claims(T0, Duration.ofMinutes(1)), Set.of("billing")))
        .hasMessageContaining("audiences: billing");
    assertThatThrownBy(() -> m.mint(claims(T0, Duration.ofMinutes(1)), Set.of()))
        .hasMessageContaining("audiences: empty");
  }

  @Test
  void maximalClaims_fitTheContractsKibibyte() throws Exception {
    String id = "x".repeat(64);
    String device = "~".repeat(64);
    SessionClaims big = new SessionClaims(id, device, id, T0, T0.plusSeconds(60));
    String token = SessionTokenMinter.of(List.of(
        KeyRing.parse("auth", KeyRing.randomSpec("a".repeat(16), RANDOM)),
        KeyRing.parse("directory", KeyRing.randomSpec("d".repeat(16), RANDOM)),
        KeyRing.parse("relay", relaySpec))).mint(big);

    assertThat(token.length()).isLessThanOrEqualTo(1024);
    assertThat(verifier("relay", relaySpec).verify(token).claims()).isEqualTo(big);
  }

  @Test
  void verifierBuilder_validates() {
    assertThatThrownBy(() -> SessionTokenVerifier.builder().build()).hasMessageContaining("keyRing: not set");
    assertThatThrownBy(() -> SessionTokenVerifier.builder().allowedClockSkew(Duration.ofSeconds(-1)))
        .hasMessageContaining("allowedClockSkew: PT-1S (expected: 0..5 minutes)");
  }
}
