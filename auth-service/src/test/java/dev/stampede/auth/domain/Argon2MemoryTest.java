package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator.Block;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2MemoryTest {
  private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SALT = "sixteen byte salt".substring(0, 16).getBytes(StandardCharsets.UTF_8);
  private static final int KIB = 256;

  @Test
  void aHashOnKeptMemory_equalsTheHashOnFreshMemory_andAllocatesNoBlock() {
    Argon2Memory memory = new Argon2Memory(1, 1024);
    byte[] fresh = hash(null);

    byte[] first = hash(memory);
    long afterFirst = memory.blocksCreated();
    byte[] second = hash(memory);

    assertThat(first).isEqualTo(fresh);
    assertThat(second).isEqualTo(fresh);
    assertThat(afterFirst).isGreaterThanOrEqualTo(KIB);
    assertThat(memory.blocksCreated()).isEqualTo(afterFirst);
    assertThat(memory.idleMemories()).isEqualTo(1);
  }

  @Test
  void keepsAtMostTheConfiguredNumberOfMemories() {
    Argon2Memory memory = new Argon2Memory(1, 1024);
    Argon2Memory.Lease a = memory.lease();
    Argon2Memory.Lease b = memory.lease();
    a.deallocate(a.allocate());
    b.deallocate(b.allocate());

    a.release();
    b.release();

    assertThat(memory.idleMemories()).isEqualTo(1);
    assertThat(memory.blocksCreated()).isEqualTo(2);
  }

  @Test
  void aMemoryLargerThanTheLimit_isNotKept() {
    Argon2Memory memory = new Argon2Memory(2, 8);

    hash(memory); // KIB blocks > 8

    assertThat(memory.idleMemories()).isZero();
  }

  @Test
  void aLeaseGivesItsBlocksBackInTheOrderItGotThem() {
    Argon2Memory memory = new Argon2Memory(1, 16);
    Argon2Memory.Lease lease = memory.lease();
    Block first = lease.allocate();
    Block second = lease.allocate();
    lease.deallocate(first);
    lease.deallocate(second);
    lease.release();

    Argon2Memory.Lease next = memory.lease();

    assertThat(next.allocate()).isSameAs(first);
    assertThat(next.allocate()).isSameAs(second);
  }

  @Test
  void rejectsNonPositiveBounds() {
    assertThatThrownBy(() -> new Argon2Memory(0, 8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kept 0");
    assertThatThrownBy(() -> new Argon2Memory(1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBlocks 0");
  }

  private static byte[] hash(Argon2Memory memory) {
    Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(KIB).withIterations(2).withParallelism(1)
        .withSalt(SALT);
    Argon2Memory.Lease lease = memory == null ? null : memory.lease();
    if (lease != null) {
      b.withBlockPool(lease);
    }
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(b.build());
    byte[] out = new byte[32];
    g.generateBytes(PASSWORD, out);
    if (lease != null) {
      lease.release();
    }
    return out;
  }
}
