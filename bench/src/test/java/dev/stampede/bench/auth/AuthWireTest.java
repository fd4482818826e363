package dev.stampede.bench.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class AuthWireTest {
  @Test
  void ticket_isReadFromTheGrant_skippingOtherFields() throws Exception {
    ByteArrayOutputStream grant = new ByteArrayOutputStream();
    CodedOutputStream g = CodedOutputStream.newInstance(grant);
    g.writeString(1, "u1");
    g.writeString(2, "s1.token");
    g.writeString(4, "r1.ticket");
    g.writeString(6, "session");
    g.flush();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(response);
    r.writeUInt32(7, 1);
    r.writeByteArray(1, grant.toByteArray());
    r.flush();

    assertThat(AuthWire.ticket(response.toByteArray())).isEqualTo("r1.ticket");
    assertThatThrownBy(() -> AuthWire.ticket(new byte[0])).hasMessageContaining("no resume ticket");
  }

  @Test
  void requests_encodeTheContractsFieldNumbers() {
    // ResumeRequest{resume_ticket="t", device_id="d"}
    assertThat(AuthWire.resume("t", "d")).containsExactly(0x0A, 0x01, 't', 0x12, 0x01, 'd');
    // LoginRequest{username="u", password="p", device_id="d"}
    assertThat(AuthWire.login("u", "p", "d")).containsExactly(0x0A, 0x01, 'u', 0x12, 0x01, 'p', 0x1A, 0x01, 'd');
    // SeedAccountsRequest{prefix="x", first_index=0, count=3, password="p"}
    assertThat(AuthWire.seed("x", 0, 3, "p"))
        .containsExactly(0x0A, 0x01, 'x', 0x10, 0x00, 0x18, 0x03, 0x22, 0x01, 'p');
    assertThat(AuthWire.seeded(new byte[] {0x08, 0x05, 0x10, 0x02})).isEqualTo(7);
  }

  @Test
  void ticketPool_isBounded() {
    TicketPool pool = new TicketPool(2);

    assertThat(pool.offer("a", "d1")).isTrue();
    assertThat(pool.offer("b", "d2")).isTrue();
    assertThat(pool.offer("c", "d3")).isFalse();
    assertThat(pool.size()).isEqualTo(2);
  }
}
