package dev.stampede.directory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputsTest {
  @Test
  void sessionToken_outside1To1024Bytes_namesTheField() {
    assertThatThrownBy(() -> Inputs.sessionToken("")).isInstanceOf(InvalidInputException.class)
        .hasMessage("session_token: 0 bytes (expected: 1..1024 bytes)");
    assertThatThrownBy(() -> Inputs.sessionToken("x".repeat(1025)))
        .hasMessage("session_token: 1025 bytes (expected: 1..1024 bytes)");
    assertThat(Inputs.sessionToken("x".repeat(1024))).hasSize(1024);
  }

  @Test
  void endpointCount_aboveEight_isRefused() {
    Inputs.endpointCount(8);
    assertThatThrownBy(() -> Inputs.endpointCount(9)).hasMessage("endpoints: 9 endpoints (expected: 0..8)");
  }

  @Test
  void endpoint_canonicalisesIpLiterals() {
    assertThat(Inputs.endpoint(0, "2001:DB8:0:0:0:0:0:7", 1, 1).host()).isEqualTo("2001:db8::7");
    assertThat(Inputs.endpoint(0, "::ffff:192.0.2.1", 1, 1).host()).isEqualTo("192.0.2.1");
    assertThat(Inputs.endpoint(0, "192.0.2.1", 1, 1).host()).isEqualTo("192.0.2.1");
    assertThat(Inputs.endpoint(0, "relay-3.example.org", 443, 3))
        .isEqualTo(new Endpoint("relay-3.example.org", 443, EndpointKind.RELAYED));
  }

  @Test
  void endpoint_badHost_namesTheIndexedField() {
    assertThatThrownBy(() -> Inputs.endpoint(2, "", 1, 1)).hasMessageStartingWith("endpoints[2].host: 0 bytes");
    assertThatThrownBy(() -> Inputs.endpoint(2, "a".repeat(254), 1, 1))
        .hasMessageStartingWith("endpoints[2].host: 254 bytes");
    assertThatThrownBy(() -> Inputs.endpoint(2, "hôte.example", 1, 1))
        .hasMessageStartingWith("endpoints[2].host: not ASCII");
    for (String bad : List.of("bad host", "-a.example", "a-.example", "a..b", "10.0.0", "fe80::1%eth0", "a_b.c",
        "x".repeat(64) + ".example")) {
      assertThatThrownBy(() -> Inputs.endpoint(1, bad, 1, 1)).as(bad)
          .hasMessageStartingWith("endpoints[1].host: not an IP literal or a DNS name");
    }
  }

  @Test
  void endpoint_badPortOrKind_isRefused() {
    assertThatThrownBy(() -> Inputs.endpoint(0, "192.0.2.1", 0, 1))
        .hasMessage("endpoints[0].port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> Inputs.endpoint(0, "192.0.2.1", 65536, 1))
        .hasMessage("endpoints[0].port: 65536 (expected: 1..65535)");
    // uint32 on the wire: a huge port arrives as a negative int.
    assertThatThrownBy(() -> Inputs.endpoint(0, "192.0.2.1", -1, 1))
        .hasMessage("endpoints[0].port: 4294967295 (expected: 1..65535)");
    assertThatThrownBy(() -> Inputs.endpoint(0, "192.0.2.1", 1, 9))
        .hasMessageStartingWith("endpoints[0].kind: 9 (expected: one of");
    assertThatThrownBy(() -> Inputs.endpoint(0, "192.0.2.1", 1, -1))
        .hasMessageStartingWith("endpoints[0].kind: -1");
  }

  @Test
  void natType_unknownNumber_isRefused() {
    assertThat(Inputs.natType(5)).isEqualTo(NatType.SYMMETRIC);
    assertThatThrownBy(() -> Inputs.natType(7)).hasMessageStartingWith("nat_type: 7 (expected: one of");
  }

  @Test
  void userId_mustBeAWordIdOfAtMost64() {
    assertThat(Inputs.userId("user_id", "u-123_AZ")).isEqualTo("u-123_AZ");
    assertThatThrownBy(() -> Inputs.userId("user_id", "")).hasMessageStartingWith("user_id: empty");
    assertThatThrownBy(() -> Inputs.userId("user_id", "a".repeat(65))).hasMessageStartingWith("user_id: 65 bytes");
    assertThatThrownBy(() -> Inputs.userId("user_id", "a}b")).hasMessageStartingWith("user_id: not a user id");
  }

  @Test
  void leaseId_garbageOrOversize_isRefused() {
    assertThatThrownBy(() -> Inputs.leaseId("")).hasMessage("lease_id: 0 bytes (expected: 1..64 bytes)");
    assertThatThrownBy(() -> Inputs.leaseId("x".repeat(65))).hasMessage("lease_id: 65 bytes (expected: 1..64 bytes)");
    assertThatThrownBy(() -> Inputs.leaseId("garbage"))
        .hasMessage("lease_id: malformed (expected: a lease id returned by Register)");
    String good = LeaseId.issue("a", "b", 1).text();
    assertThat(Inputs.leaseId(good).text()).isEqualTo(good);
  }

  @Test
  void watchedUsers_boundedDistinctAndValid() {
    assertThatThrownBy(() -> Inputs.watchedUsers(List.of(), 100)).hasMessage("user_ids: 0 users (expected: 1..100)");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("u" + i);
    }
    assertThatThrownBy(() -> Inputs.watchedUsers(many, 100)).hasMessage("user_ids: 101 users (expected: 1..100)");
    assertThat(Inputs.watchedUsers(many.subList(0, 100), 100)).hasSize(100);
    assertThatThrownBy(() -> Inputs.watchedUsers(List.of("a", "b", "a"), 100))
        .hasMessage("user_ids[2]: repeats user_ids[0] (expected: distinct user ids)");
    assertThatThrownBy(() -> Inputs.watchedUsers(Collections.nCopies(1, "bad id"), 100))
        .hasMessageStartingWith("user_ids[0]: not a user id");
  }
}
