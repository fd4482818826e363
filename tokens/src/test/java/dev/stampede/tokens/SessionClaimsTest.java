package dev.stampede.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionClaimsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00.750Z");

  @Test
  void times_areTruncatedToSeconds() {
    SessionClaims c = new SessionClaims("u", "d", "s", T, T.plusSeconds(60));

    assertThat(c.issuedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(c.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
  }

  @Test
  void limits_nameTheField() {
    assertThatThrownBy(() -> new SessionClaims("", "d", "s", T, T.plusSeconds(1)))
        .hasMessageContaining("userId: 0 characters");
    assertThatThrownBy(() -> new SessionClaims("u".repeat(65), "d", "s", T, T.plusSeconds(1)))
        .hasMessageContaining("userId: 65 characters");
    assertThatThrownBy(() -> new SessionClaims("u{x}", "d", "s", T, T.plusSeconds(1)))
        .hasMessageContaining("userId");
    assertThatThrownBy(() -> new SessionClaims("u", "with space", "s", T, T.plusSeconds(1)))
        .hasMessageContaining("deviceId: 10 characters (expected: 1..64 characters of printable ASCII)");
    assertThatThrownBy(() -> new SessionClaims("u", "dé", "s", T, T.plusSeconds(1)))
        .hasMessageContaining("deviceId");
    assertThatThrownBy(() -> new SessionClaims("u", "d", null, T, T.plusSeconds(1)))
        .hasMessageContaining("sessionId: null");
    assertThatThrownBy(() -> new SessionClaims("u", "d", "s", T, T))
        .hasMessageContaining("expiresAt");
  }

  @Test
  void deviceIds_arePrintableAscii() {
    assertThat(SessionClaims.isDeviceId("!~az09")).isTrue();
    assertThat(SessionClaims.isDeviceId("a\u007f")).isFalse();
    assertThat(SessionClaims.isDeviceId("")).isFalse();
    assertThat(SessionClaims.isDeviceId("x".repeat(64))).isTrue();
    assertThat(SessionClaims.isDeviceId("x".repeat(65))).isFalse();
  }
}
