package dev.stampede.directory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayAdviceTest {
  private static final List<Endpoint> ONE = List.of(new Endpoint("192.0.2.1", 1, EndpointKind.HOST));

  private static DeviceLease device(String id, NatType nat, List<Endpoint> endpoints) {
    return new DeviceLease(id, 1, 1, nat, endpoints);
  }

  @Test
  void offline_isUnspecified() {
    assertThat(Presence.offline("u").relayAdvice()).isEqualTo(RelayAdvice.UNSPECIFIED);
  }

  @Test
  void perDevice_followsTheNatType() {
    assertThat(RelayAdvice.forDevice(device("d", NatType.OPEN, ONE))).isEqualTo(RelayAdvice.DIRECT);
    assertThat(RelayAdvice.forDevice(device("d", NatType.PORT_RESTRICTED_CONE, ONE))).isEqualTo(RelayAdvice.DIRECT);
    assertThat(RelayAdvice.forDevice(device("d", NatType.SYMMETRIC, ONE)))
        .isEqualTo(RelayAdvice.RELAY_RECOMMENDED);
    assertThat(RelayAdvice.forDevice(device("d", NatType.UNSPECIFIED, ONE)))
        .isEqualTo(RelayAdvice.RELAY_RECOMMENDED);
    assertThat(RelayAdvice.forDevice(device("d", NatType.BLOCKED, ONE))).isEqualTo(RelayAdvice.RELAY_REQUIRED);
    assertThat(RelayAdvice.forDevice(device("d", NatType.OPEN, List.of()))).isEqualTo(RelayAdvice.RELAY_REQUIRED);
  }

  @Test
  void user_getsTheAdviceOfItsMostReachableDevice() {
    assertThat(RelayAdvice.forDevices(List.of(device("a", NatType.BLOCKED, ONE), device("b", NatType.SYMMETRIC, ONE))))
        .isEqualTo(RelayAdvice.RELAY_RECOMMENDED);
    assertThat(RelayAdvice.forDevices(List.of(device("a", NatType.SYMMETRIC, ONE), device("b", NatType.FULL_CONE, ONE))))
        .isEqualTo(RelayAdvice.DIRECT);
  }
}
