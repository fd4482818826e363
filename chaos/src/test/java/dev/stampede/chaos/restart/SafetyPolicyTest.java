package dev.stampede.chaos.restart;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyPolicyTest {

  @Test
  void defaultPolicy_allowsOnlyTheEngineNamespace() {
    assertThatCode(() -> SafetyPolicy.DEFAULT.checkNamespace("stampede", "stampede")).doesNotThrowAnyException();
    assertThatThrownBy(() -> SafetyPolicy.DEFAULT.checkNamespace("prod", "stampede"))
        .isInstanceOf(RestartRefusedException.class).hasMessageContaining("--allow-namespace prod");
  }

  @Test
  void kubeNamespaces_areRefused_evenWhenAllowedOrDefault() {
    SafetyPolicy all = SafetyPolicy.DEFAULT.withAllowedNamespaces(Set.of("kube-system", "kube-public"));
    assertThatThrownBy(() -> all.checkNamespace("kube-system", "default")).isInstanceOf(RestartRefusedException.class);
    assertThatThrownBy(() -> SafetyPolicy.DEFAULT.checkNamespace("kube-system", "kube-system"))
        .isInstanceOf(RestartRefusedException.class);
    assertThatThrownBy(() -> all.checkNamespace("kube-public", "default")).isInstanceOf(RestartRefusedException.class);
  }

  @Test
  void maxFraction_roundsDownTheAllowance() {
    SafetyPolicy half = SafetyPolicy.DEFAULT.withMaxFraction(0.5);
    assertThatCode(() -> half.checkFraction(2, 4, "x")).doesNotThrowAnyException();
    assertThatCode(() -> half.checkFraction(1, 3, "x")).doesNotThrowAnyException();
    assertThatThrownBy(() -> half.checkFraction(2, 3, "mode all")).isInstanceOf(RestartRefusedException.class)
        .hasMessage("refusing: mode all would take down 2 of 3 matched targets at once (67%), above max-fraction 0.50");
    assertThatThrownBy(() -> SafetyPolicy.DEFAULT.withMaxFraction(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxFraction: 0.0");
  }
}
