package dev.stampede.auth.grpc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.admission.ApiException;
import io.grpc.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminGateTest {
  private static final String CREDENTIAL = "0123456789abcdef-secret";

  private static CallerInfo caller(String authorization) throws Exception {
    return CallerInfo.of(authorization, "127.0.0.1");
  }

  @Test
  void rightCredential_passes_wrongOrMissingDoNot() throws Exception {
    AdminGate gate = new AdminGate(Optional.of(CREDENTIAL), false);

    assertThatCode(() -> gate.requireAdmin(caller("Bearer " + CREDENTIAL))).doesNotThrowAnyException();
    assertThatCode(() -> gate.requireAdmin(caller("bearer " + CREDENTIAL))).doesNotThrowAnyException();
    assertThatThrownBy(() -> gate.requireAdmin(caller(null))).isInstanceOf(ApiException.class)
        .extracting(e -> ((ApiException) e).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThatThrownBy(() -> gate.requireAdmin(caller("Basic abc"))).extracting(e -> ((ApiException) e).code())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThatThrownBy(() -> gate.requireAdmin(caller("Bearer " + CREDENTIAL + "x")))
        .extracting(e -> ((ApiException) e).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThatThrownBy(gate::requireSeedEnabled).extracting(e -> ((ApiException) e).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void noCredentialConfigured_refusesEveryone_andShortOnesAreRejectedAtStart() throws Exception {
    AdminGate gate = new AdminGate(Optional.empty(), true);

    assertThatThrownBy(() -> gate.requireAdmin(caller("Bearer anything-at-all-long"))).extracting(
        e -> ((ApiException) e).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThatThrownBy(() -> new AdminGate(Optional.of("short"), true))
        .hasMessageContaining("stampede.auth.admin.credential: 5 characters (expected: at least 16)");
  }
}
