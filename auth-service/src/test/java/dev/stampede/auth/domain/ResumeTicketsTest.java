package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.auth.domain.ResumeTickets.Authenticity;
import dev.stampede.tokens.KeyRing;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ResumeTicketsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String k1 = KeyRing.randomSpec("k1", RANDOM);
  private final String k2 = KeyRing.randomSpec("k2", RANDOM);
  private final ResumeTickets tickets = new ResumeTickets(KeyRing.parse("auth", k1), RANDOM);

  @Test
  void issued_readsBackAuthentic_withItsHash() {
    ResumeTickets.Issued issued = tickets.issue("uUser", "sSession");
    ResumeTickets.Presented p = tickets.read(issued.ticket());

    assertThat(issued.ticket()).startsWith("r1.uUser.sSession.").hasSizeLessThanOrEqualTo(256);
    assertThat(p.userId()).isEqualTo("uUser");
    assertThat(p.sessionId()).isEqualTo("sSession");
    assertThat(p.hash()).isEqualTo(issued.hash()).doesNotContain(issued.ticket());
    assertThat(p.authenticity()).isEqualTo(Authenticity.AUTHENTIC);
    assertThat(tickets.issue("uUser", "sSession").ticket()).isNotEqualTo(issued.ticket());
  }

  @Test
  void alteredTicket_isForged() {
    String t = tickets.issue("uUser", "sSession").ticket();
    String otherSession = t.replace(".sSession.", ".sOther.");
    char last = t.charAt(t.length() - 20);
    String otherMac = t.substring(0, t.length() - 20) + (last == 'A' ? 'B' : 'A') + t.substring(t.length() - 19);

    assertThat(tickets.read(otherSession).authenticity()).isEqualTo(Authenticity.FORGED);
    assertThat(tickets.read(otherMac).authenticity()).isEqualTo(Authenticity.FORGED);
  }

  @Test
  void ticketOfARetiredKey_isUnverifiable_notForged() {
    String old = tickets.issue("uUser", "sSession").ticket();
    ResumeTickets rotated = new ResumeTickets(KeyRing.parse("auth", k2), RANDOM);

    assertThat(rotated.read(old).authenticity()).isEqualTo(Authenticity.UNVERIFIABLE);
    assertThat(new ResumeTickets(KeyRing.parse("auth", k2 + "," + k1), RANDOM).read(old).authenticity())
        .isEqualTo(Authenticity.AUTHENTIC);
  }

  @Test
  void malformed_isTicketInvalid() {
    String t = tickets.issue("uUser", "sSession").ticket();
    for (String bad : new String[] {"", "r1", "r2" + t.substring(2), t + ".x", t.replace(".uUser.", ".u{x}."),
        t.substring(0, t.length() - 1), "r1.u.s.é" + "A".repeat(31) + ".k1." + "A".repeat(43), "\u0000"}) {
      assertThatThrownBy(() -> tickets.read(bad)).as(bad).isInstanceOf(AuthFailure.class)
          .extracting(e -> ((AuthFailure) e).reason()).isEqualTo(AuthFailure.Reason.TICKET_INVALID);
    }
  }
}
