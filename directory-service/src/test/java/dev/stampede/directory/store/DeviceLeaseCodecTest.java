package dev.stampede.directory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.EndpointKind;
import dev.stampede.directory.domain.Inputs;
import dev.stampede.directory.domain.NatType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceLeaseCodecTest {
  @Test
  void roundTrip_keepsEveryField() {
    DeviceLease lease = new DeviceLease("phone-1", -42L, 1_750_000_000_123L, NatType.SYMMETRIC, List.of(
        new Endpoint("192.0.2.7", 1, EndpointKind.HOST),
        new Endpoint("2001:db8::7", 65535, EndpointKind.SERVER_REFLEXIVE),
        new Endpoint("relay.example.org", 3478, EndpointKind.RELAYED),
        new Endpoint("10.1.2.3", 5000, EndpointKind.UNSPECIFIED)));
    byte[] encoded = DeviceLeaseCodec.encode(lease);
    assertThat(DeviceLeaseCodec.decode("phone-1", encoded)).isEqualTo(lease);
    assertThat(DeviceLeaseCodec.expiryOf(encoded)).isEqualTo(1_750_000_000_123L);
  }

  @Test
  void typicalLease_fitsRedisSmallEncoding() {
    DeviceLease lease = new DeviceLease("d", 1, 1, NatType.OPEN, List.of(
        new Endpoint("192.168.1.23", 50123, EndpointKind.HOST),
        new Endpoint("203.0.113.41", 61000, EndpointKind.SERVER_REFLEXIVE)));
    assertThat(DeviceLeaseCodec.encode(lease)).hasSize(31);
    DeviceLease dual = new DeviceLease("d", 1, 1, NatType.OPEN, List.of(
        new Endpoint("192.168.1.23", 50123, EndpointKind.HOST),
        new Endpoint("2001:db8::1", 50123, EndpointKind.HOST),
        new Endpoint("203.0.113.41", 61000, EndpointKind.SERVER_REFLEXIVE)));
    // hash-max-listpack-value (hash-max-ziplist-value on 6.2) defaults to 64 bytes.
    assertThat(DeviceLeaseCodec.encode(dual).length).isLessThanOrEqualTo(64);
  }

  @Test
  void largestLeaseTheContractAllows_roundTrips() {
    List<Endpoint> endpoints = new ArrayList<>();
    String name = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
    for (int i = 0; i < Inputs.MAX_ENDPOINTS; i++) {
      endpoints.add(Inputs.endpoint(i, name, 65535, 3));
    }
    DeviceLease lease = new DeviceLease("x".repeat(64), Long.MAX_VALUE, (1L << 48) - 1, NatType.BLOCKED, endpoints);
    assertThat(DeviceLeaseCodec.decode("x".repeat(64), DeviceLeaseCodec.encode(lease))).isEqualTo(lease);
  }

  @Test
  void corruptValue_isRefusedCleanly() {
    byte[] good = DeviceLeaseCodec.encode(new DeviceLease("d", 1, 1, NatType.OPEN,
        List.of(new Endpoint("192.0.2.7", 1, EndpointKind.HOST))));
    assertThatThrownBy(() -> DeviceLeaseCodec.decode("d", Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] wrongVersion = good.clone();
    wrongVersion[0] = 9;
    assertThatThrownBy(() -> DeviceLeaseCodec.decode("d", wrongVersion)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceLeaseCodec.decode("d", Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
