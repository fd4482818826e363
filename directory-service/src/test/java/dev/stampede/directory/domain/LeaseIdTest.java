package dev.stampede.directory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaseIdTest {
  @Test
  void issued_parsesBack_withItsNonce_andBelongsToItsOwnerOnly() {
    LeaseId id = LeaseId.issue("alice", "laptop", 0x0123456789abcdefL);
    assertThat(id.text()).hasSize(LeaseId.LENGTH).matches("[A-Za-z0-9_-]+");

    LeaseId parsed = LeaseId.parse(id.text());
    assertThat(parsed).isEqualTo(id);
    assertThat(parsed.nonce()).isEqualTo(0x0123456789abcdefL);
    assertThat(parsed.belongsTo("alice", "laptop")).isTrue();
    assertThat(parsed.belongsTo("bob", "laptop")).isFalse();
    assertThat(parsed.belongsTo("alice", "phone")).isFalse();
  }

  @Test
  void ownerTag_separatesUserAndDevice() {
    // "ab" + "c" and "a" + "bc" must not collide.
    LeaseId id = LeaseId.issue("ab", "c", 7);
    assertThat(LeaseId.parse(id.text()).belongsTo("a", "bc")).isFalse();
  }

  @Test
  void garbage_doesNotParse() {
    assertThat(LeaseId.parse(null)).isNull();
    assertThat(LeaseId.parse("")).isNull();
    assertThat(LeaseId.parse("not a lease id at all")).isNull();
    assertThat(LeaseId.parse("!!!!!!!!!!!!!!!!!!!!")).isNull();
    // Right length, wrong version byte.
    assertThat(LeaseId.parse("AAAAAAAAAAAAAAAAAAAA")).isNull();
  }

  @Test
  void nonCanonicalSpelling_doesNotParse() {
    String text = LeaseId.issue("alice", "laptop", 42).text();
    char last = text.charAt(text.length() - 1);
    // 15 bytes are exactly 20 base64 characters: no spare bits, so flipping a character changes the bytes;
    // the id must still be rejected or decode to a different tag.
    String altered = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');
    LeaseId other = LeaseId.parse(altered);
    assertThat(other == null || !other.belongsTo("alice", "laptop")).isTrue();
  }

  @Test
  void toString_doesNotPrintTheId() {
    LeaseId id = LeaseId.issue("alice", "laptop", 42);
    assertThat(id.toString()).doesNotContain(id.text());
  }
}
