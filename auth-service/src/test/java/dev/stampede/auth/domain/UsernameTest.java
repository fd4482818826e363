package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UsernameTest {
  @Test
  void normalisation_foldsCaseAndCompatibilityForms() {
    assertThat(Username.parse("username", "Alice").value()).isEqualTo("alice");
    assertThat(Username.parse("username", "ＡＬＩＣＥ").value()).isEqualTo("alice"); // full-width
    assertThat(Username.parse("username", "Straße").value()).isEqualTo(Username.parse("u", "STRASSE").value());
    assertThat(Username.parse("username", "ΟΔΟΣ").value()).isEqualTo(Username.parse("u", "οδος").value());
    assertThat(Username.parse("username", "ﬁle").value()).isEqualTo("file"); // ligature
    assertThat(Username.parse("username", "e\u0301").value()).isEqualTo("é"); // composed
  }

  @Test
  void sameNormalForm_sameUserId_otherwiseDifferent() {
    String id = Username.parse("username", "Bob").userId();

    assertThat(Username.parse("username", "BOB").userId()).isEqualTo(id);
    assertThat(Username.parse("username", "bob2").userId()).isNotEqualTo(id);
    assertThat(id).matches("u[A-Za-z0-9_-]{22}");
  }

  @Test
  void normalisation_isIdempotent() {
    Random random = new Random(7);
    assertThat(Username.parse("username", "\u1E9E").value()).isEqualTo("ss");
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 1 + random.nextInt(8); j++) {
        sb.appendCodePoint(random.nextInt(random.nextBoolean() ? 0x3000 : 0x20000));
      }
      String once = Username.normalise(sb.toString());
      assertThat(once).isNotNull();
      assertThat(Username.normalise(once)).as("code points of %s", sb.codePoints().toArray()).isEqualTo(once);
    }
  }

  @Test
  void limits_areOnTheNormalisedBytes() {
    assertThat(Username.parse("username", "a".repeat(64)).value()).hasSize(64);
    assertThatThrownBy(() -> Username.parse("username", "a".repeat(65)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("username: 65 bytes (expected: 1..64 bytes UTF-8 after normalisation)");
    // 22 full-width letters are 66 bytes as sent, 22 after NFKC: accepted.
    assertThat(Username.parse("username", "Ａ".repeat(22)).value()).isEqualTo("a".repeat(22));
    assertThatThrownBy(() -> Username.parse("username", "é".repeat(33))).hasMessageContaining("66 bytes");
    assertThatThrownBy(() -> Username.parse("username", "")).hasMessageContaining("username: empty");
    assertThatThrownBy(() -> Username.parse("username", null)).hasMessageContaining("username: empty");
    assertThatThrownBy(() -> Username.parse("username", "x".repeat(100_000))).hasMessageContaining("100000 bytes");
  }

  @Test
  void controlCharactersAndOuterWhiteSpace_areRefused() {
    assertThatThrownBy(() -> Username.parse("username", "a\u0000b")).hasMessageContaining("U+0000 at offset 1");
    assertThatThrownBy(() -> Username.parse("username", "a\nb")).hasMessageContaining("U+000A");
    assertThatThrownBy(() -> Username.parse("username", "a\u2028b")).hasMessageContaining("U+2028");
    assertThatThrownBy(() -> Username.parse("username", " alice")).hasMessageContaining("white space");
    assertThatThrownBy(() -> Username.parse("username", "alice\u3000")).hasMessageContaining("white space");
    assertThat(Username.parse("username", "alice smith").value()).isEqualTo("alice smith");
  }

  @Test
  void toString_hidesTheName() {
    assertThat(Username.parse("username", "Carol").toString()).doesNotContain("carol");
  }
}
