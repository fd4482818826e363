package dev.stampede.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyRingTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static String key(int bytes) {
    byte[] k = new byte[bytes];
    RANDOM.nextBytes(k);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(k);
  }

  @Test
  void parse_firstKeyIsCurrent_allAreKept() {
    KeyRing ring = KeyRing.parse("directory", "k2:" + key(32) + " , k1:" + key(32));

    assertThat(ring.audience()).isEqualTo("directory");
    assertThat(ring.currentKeyId()).isEqualTo("k2");
    assertThat(ring.keyIds()).containsExactly("k2", "k1");
  }

  @Test
  void parse_acceptsPaddedBase64url() {
    byte[] k = new byte[32];
    String padded = Base64.getUrlEncoder().encodeToString(k);
    assertThat(padded).endsWith("=");

    assertThat(KeyRing.parse("relay", "a:" + padded).keyIds()).containsExactly("a");
  }

  @Test
  void parse_randomSpec_roundTrips() {
    String spec = KeyRing.randomSpec("run-1", RANDOM);

    assertThat(KeyRing.parse("auth", spec).currentKeyId()).isEqualTo("run-1");
  }

  @Test
  void parse_rejectsBadSpecs_namingConfigKeyAndEntry_withoutKeyMaterial() {
    String secret = key(31);
    assertThatThrownBy(() -> KeyRing.parse("relay", ""))
        .hasMessageContaining("stampede.token.keys.relay: empty");
    assertThatThrownBy(() -> KeyRing.parse("relay", "  "))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> KeyRing.parse("relay", null))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:" + key(32) + "," + secret))
        .hasMessageContaining("stampede.token.keys.relay: entry 2: no ':'")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:" + secret))
        .hasMessageContaining("entry 1 (kid k1): key of 31 bytes (expected: 32 bytes")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:" + key(33)))
        .hasMessageContaining("key of 33 bytes");
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:not*base64!"))
        .hasMessageContaining("key is not base64url")
        .hasNoCause();
    assertThatThrownBy(() -> KeyRing.parse("relay", ":" + key(32)))
        .hasMessageContaining("key id of 0 characters");
    assertThatThrownBy(() -> KeyRing.parse("relay", "k.1:" + key(32)))
        .hasMessageContaining("key id of 3 characters (expected: 1..16 characters of [A-Za-z0-9_-])");
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:" + key(32) + ",k1:" + key(32)))
        .hasMessageContaining("entry 2: key id k1 repeats");
    assertThatThrownBy(() -> KeyRing.parse("relay", "k1:" + key(32) + ","))
        .hasMessageContaining("entry 2: no ':'");
  }

  @Test
  void parse_rejectsBadAudience() {
    assertThatThrownBy(() -> KeyRing.parse("Relay", "k1:" + key(32))).hasMessageContaining("audience: Relay");
    assertThatThrownBy(() -> KeyRing.parse("", "k1:" + key(32))).hasMessageContaining("audience: ");
  }

  @Test
  void toString_neverShowsKeys() {
    String k = key(32);
    KeyRing ring = KeyRing.parse("auth", "k1:" + k);

    assertThat(ring.toString()).contains("k1").doesNotContain(k);
  }

  @Test
  void mac_usesTheNamedKey_andIsNullForUnknownIds() {
    KeyRing ring = KeyRing.parse("auth", "new:" + key(32) + ",old:" + key(32));
    byte[] data = "r1.payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    assertThat(ring.mac("new", data)).hasSize(32).isEqualTo(ring.mac("new", data));
    assertThat(ring.mac("old", data)).isNotEqualTo(ring.mac("new", data));
    assertThat(ring.mac("gone", data)).isNull();
  }

  @Test
  void randomSpec_rejectsBadKeyId() {
    assertThatThrownBy(() -> KeyRing.randomSpec("a:b", RANDOM)).hasMessageContaining("keyId: a:b");
  }
}
