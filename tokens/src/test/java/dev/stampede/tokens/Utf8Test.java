package dev.stampede.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void length_matchesTheEncoder_forOneTwoThreeAndFourByteCharacters() {
    for (String s : new String[] {"", "alice", "café", "名前", "a😀b", "ﬁ"}) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void length_countsAnUnpairedSurrogateAsTheReplacementCharacter_andNullAsZero() {
    assertThat(Utf8.length("a\uD800b")).isEqualTo(1 + 3 + 1);
    assertThat(Utf8.length(null)).isZero();
  }
}
