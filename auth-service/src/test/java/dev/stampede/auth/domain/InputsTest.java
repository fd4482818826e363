package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputsTest {
  @Test
  void password_limitsAreBytesAsSent() {
    assertThat(Inputs.password("password", "x".repeat(1024), 8)).hasSize(1024);
    assertThatThrownBy(() -> Inputs.password("password", "x".repeat(1025), 8))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("password: 1025 bytes (expected: 8..1024 bytes UTF-8)");
    assertThatThrownBy(() -> Inputs.password("password", "é".repeat(513), 1)).hasMessageContaining("1026 bytes");
    assertThatThrownBy(() -> Inputs.password("password", "1234567", 8)).hasMessageContaining("7 bytes");
    assertThatThrownBy(() -> Inputs.password("password", "", 1)).hasMessageContaining("0 bytes");
    assertThat(Inputs.password("password", "1", 1)).hasSize(1);
  }

  @Test
  void password_isNfcNormalised_andNeverInTheMessage() {
    byte[] decomposed = Inputs.password("password", "cafe\u0301-secret", 8);
    byte[] composed = Inputs.password("password", "café-secret", 8);

    assertThat(decomposed).isEqualTo(composed).isEqualTo("café-secret".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Inputs.password("password", "hunter2", 8)).hasMessageNotContaining("hunter2");
  }

  @Test
  void deviceId_isPrintableAscii() {
    assertThat(Inputs.deviceId("device_id", "phone-1")).isEqualTo("phone-1");
    assertThatThrownBy(() -> Inputs.deviceId("device_id", ""))
        .hasMessage("device_id: empty (expected: 1..64 bytes of printable ASCII, 0x21..0x7E)");
    assertThatThrownBy(() -> Inputs.deviceId("device_id", "d".repeat(65))).hasMessageContaining("65 bytes");
    assertThatThrownBy(() -> Inputs.deviceId("device_id", "a b")).hasMessageContaining("not printable ASCII");
  }

  @Test
  void ticketAndToken_lengths() {
    assertThatThrownBy(() -> Inputs.ticket("resume_ticket", "")).hasMessageContaining("resume_ticket: 0 bytes");
    assertThatThrownBy(() -> Inputs.ticket("resume_ticket", "t".repeat(257))).hasMessageContaining("257 bytes");
    assertThatThrownBy(() -> Inputs.sessionToken("session_token", "t".repeat(1025), 1))
        .hasMessageContaining("session_token: 1025 bytes (expected: 1..1024 bytes)");
    assertThat(Inputs.sessionToken("session_token", "", 0)).isEmpty();
  }
}
