package dev.stampede.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PriorityTest {
  @Test
  void header_mayLowerButNeverRaise() {
    assertThat(Priority.RESUME.lowerTo("sheddable")).isEqualTo(Priority.SHEDDABLE);
    assertThat(Priority.RESUME.lowerTo("login")).isEqualTo(Priority.LOGIN);
    assertThat(Priority.LOGIN.lowerTo("critical")).isEqualTo(Priority.LOGIN);
    assertThat(Priority.LOGIN.lowerTo("resume")).isEqualTo(Priority.LOGIN);
  }

  @Test
  void header_unknownOrMissingValuesAreIgnored() {
    assertThat(Priority.RESUME.lowerTo(null)).isEqualTo(Priority.RESUME);
    assertThat(Priority.RESUME.lowerTo("bogus")).isEqualTo(Priority.RESUME);
    assertThat(Priority.RESUME.lowerTo("")).isEqualTo(Priority.RESUME);
    assertThat(Priority.RESUME.lowerTo(" SHEDDABLE ")).isEqualTo(Priority.SHEDDABLE);
  }

  @Test
  void parse_namesTheExpectedValues() {
    assertThat(Priority.parse("Login")).isEqualTo(Priority.LOGIN);
    assertThatThrownBy(() -> Priority.parse("urgent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one of critical, resume, login, sheddable");
  }

  @Test
  void methodPolicies_rejectMalformedNamesAndBypassProbes() {
    assertThatThrownBy(() -> MethodPolicies.builder().method("NoSlash", Priority.LOGIN))
        .hasMessageContaining("expected: package.Service/Method");
    MethodPolicies p = MethodPolicies.builder().method("a.B/C", Priority.LOGIN).build();
    assertThat(p.policyFor("a.B/C").priority()).isEqualTo(Priority.LOGIN);
    assertThat(p.policyFor("a.B/D").priority()).isEqualTo(Priority.SHEDDABLE);
    assertThat(p.policyFor("grpc.health.v1.Health/Check").bypass()).isTrue();
  }
}
