package dev.stampede.relay.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class InputsTest {
  @Test
  void limitsAreCountedInUtf8Bytes() {
    Inputs.allocationId("allocation_id", "é".repeat(32));
    assertThatThrownBy(() -> Inputs.allocationId("allocation_id", "é".repeat(33)))
        .hasMessage("allocation_id: 66 bytes (expected: 1..64 bytes)");
    assertThatThrownBy(() -> Inputs.joinToken("ü".repeat(129)))
        .hasMessage("join.join_token: 258 bytes (expected: 0..256 bytes)");
  }

  @Test
  void peerUserId_mustBeAUserId() {
    Inputs.peerUserId("bob_2-x");
    assertThatThrownBy(() -> Inputs.peerUserId("")).hasMessageStartingWith("peer_user_id: empty");
    assertThatThrownBy(() -> Inputs.peerUserId("bob smith")).hasMessageStartingWith("peer_user_id: 9 bytes");
  }

  @Test
  void ids_areWellFormedAndDistinct_andTokensAreStoredHashed() {
    Ids ids = new Ids(new SecureRandom());
    String a = ids.newAllocationId();
    assertThat(a).hasSize(22).matches("[A-Za-z0-9_-]+");
    assertThat(Ids.isWellFormedId(a)).isTrue();
    assertThat(ids.newAllocationId()).isNotEqualTo(a);
    String token = ids.newJoinToken();
    assertThat(token).hasSize(43);
    assertThat(Ids.tokenHash(token)).isNotEqualTo(token).hasSize(43).isEqualTo(Ids.tokenHash(token));
    assertThat(Ids.isWellFormedId("{a}")).isFalse();
  }
}
