package dev.stampede.chaos.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorTest {

  static final Map<String, String> AUTH = Map.of("app.kubernetes.io/name", "auth", "app.kubernetes.io/part-of",
      "stampede", "tier", "edge");

  @Test
  void equality_matchesOnlyThatValue() {
    Selector s = Selector.parse("app.kubernetes.io/name=auth");
    assertThat(s.matches(AUTH)).isTrue();
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "directory"))).isFalse();
    assertThat(s.matches(Map.of())).isFalse();
    assertThat(Selector.parse("app.kubernetes.io/name==auth")).isEqualTo(s);
  }

  @Test
  void setBasedRequirements_matchLikeKubernetes() {
    assertThat(Selector.parse("app.kubernetes.io/name in (auth, relay)").matches(AUTH)).isTrue();
    assertThat(Selector.parse("app.kubernetes.io/name in (relay)").matches(AUTH)).isFalse();
    assertThat(Selector.parse("tier,app.kubernetes.io/name notin (relay)").matches(AUTH)).isTrue();
    assertThat(Selector.parse("tier,app.kubernetes.io/name notin (auth)").matches(AUTH)).isFalse();
    assertThat(Selector.parse("tier,!legacy").matches(AUTH)).isTrue();
    assertThat(Selector.parse("tier,!tier").matches(AUTH)).isFalse();
    assertThat(Selector.parse("tier,zone!=a").matches(AUTH)).isTrue(); // absent label is "not a"
  }

  @Test
  void toString_isCanonical_andParsesBack() {
    Selector s = Selector.parse(" app.kubernetes.io/name in (relay,auth) , tier ,!legacy,x!=y");
    assertThat(s.toString()).isEqualTo("app.kubernetes.io/name in (auth,relay),tier,!legacy,x!=y");
    assertThat(Selector.parse(s.toString())).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a=b,", "a in (b", "a in ()", "-a=b", "a=b c", "Bad_Prefix/a=b", "a/=b",
      "a=" + "x123456789x123456789x123456789x123456789x123456789x123456789xxxx"})
  void malformed_isRefused_withTheReason(String text) {
    assertThatThrownBy(() -> Selector.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("selector: ");
  }

  @Test
  void negativeOnly_isRefused_becauseItWouldSelectAlmostEverything() {
    assertThatThrownBy(() -> Selector.parse("app!=auth,!legacy,tier notin (x)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only negative requirements");
  }

  @Test
  void emptyValue_isAllowed_asInKubernetes() {
    assertThat(Selector.parse("a=").matches(Map.of("a", ""))).isTrue();
  }
}
