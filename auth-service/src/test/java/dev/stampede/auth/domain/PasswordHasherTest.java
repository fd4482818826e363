package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.auth.domain.PasswordHasher.Purpose;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  /** Cheap parameters: the same code path as production, a fraction of the cost. */
  private static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);
  private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);

  private final PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());

  @Test
  void hash_isPhcArgon2id_withConfiguredParams_andVerifies() {
    String phc = hasher.hash(PASSWORD, Purpose.SIGN_UP);

    assertThat(phc).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(hasher.verify(PASSWORD, phc, Purpose.LOGIN)).isTrue();
    assertThat(hasher.verify("wrong".getBytes(StandardCharsets.UTF_8), phc, Purpose.LOGIN)).isFalse();
    assertThat(hasher.hash(PASSWORD, Purpose.SIGN_UP)).isNotEqualTo(phc); // fresh salt
  }

  @Test
  void knownAnswer_rfc9106Argon2id() {
    // RFC 9106 §5.3 test vector for Argon2id (with secret and associated data, which PHC hashes do not use) is
    // checked against Bouncy Castle directly; our hasher then must agree with Bouncy Castle for PHC inputs.
    byte[] out = new byte[32];
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withIterations(3).withMemoryAsKB(32).withParallelism(4)
        .withSalt(filled(16, 0x02)).withSecret(filled(8, 0x03)).withAdditional(filled(12, 0x04)).build());
    g.generateBytes(filled(32, 0x01), out);
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

    String phc = "$argon2id$v=19$m=32,t=3,p=4$AgICAgICAgICAgICAgICAg$" + java.util.Base64.getEncoder()
        .withoutPadding().encodeToString(reference(filled(32, 0x01), filled(16, 0x02)));
    assertThat(hasher.verify(filled(32, 0x01), phc, Purpose.LOGIN)).isTrue();
  }

  @Test
  void unknownUser_usesDummyHash_andFails() {
    long before = hasher.hashesComputed(Purpose.LOGIN);

    assertThat(hasher.verify(PASSWORD, null, Purpose.LOGIN)).isFalse();
    assertThat(hasher.hashesComputed(Purpose.LOGIN)).isEqualTo(before + 1);
  }

  @Test
  void corruptStoredHash_failsAfterTheSameWork() {
    long before = hasher.hashesComputed(Purpose.LOGIN);

    assertThat(hasher.verify(PASSWORD, "$argon2id$v=19$m=x", Purpose.LOGIN)).isFalse();
    assertThat(hasher.verify(PASSWORD, "$2b$10$bcrypt", Purpose.LOGIN)).isFalse();
    assertThat(hasher.hashesComputed(Purpose.LOGIN)).isEqualTo(before + 2);
  }

  @Test
  void needsRehash_whenParamsDiffer() {
    String old = new PasswordHasher(new Argon2Params(32, 1, 1), new SecureRandom()).hash(PASSWORD, Purpose.SEED);

    assertThat(hasher.needsRehash(old)).isTrue();
    assertThat(hasher.verify(PASSWORD, old, Purpose.LOGIN)).isTrue(); // old parameters still verify
    assertThat(hasher.needsRehash(hasher.hash(PASSWORD, Purpose.SIGN_UP))).isFalse();
  }

  @Test
  void theUnknownUserDummy_isMadeWithoutHashing_andCostsTheSameWorkAsARealHash() {
    PasswordHasher fresh = new PasswordHasher(CHEAP, new SecureRandom());
    long created = fresh.memory().blocksCreated();
    assertThat(Purpose.values()).allSatisfy(p -> assertThat(fresh.hashesComputed(p)).isZero());
    assertThat(created).isZero();

    assertThat(fresh.verify(PASSWORD, null, Purpose.LOGIN)).isFalse();
    long dummyBlocks = fresh.memory().blocksCreated();
    fresh.verify(PASSWORD, fresh.hash(PASSWORD, Purpose.SIGN_UP), Purpose.LOGIN);

    // The same parameters: the real hash and check reuse exactly the memory the dummy check grew.
    assertThat(dummyBlocks).isGreaterThanOrEqualTo(CHEAP.memoryKiB());
    assertThat(fresh.memory().blocksCreated()).isEqualTo(dummyBlocks);
  }

  @Test
  void counts_everyHashByPurpose() {
    hasher.hash(PASSWORD, Purpose.SEED);
    hasher.hash(PASSWORD, Purpose.SEED);

    assertThat(hasher.hashesComputed(Purpose.SEED)).isEqualTo(2);
    assertThat(hasher.hashesComputed(Purpose.REHASH)).isZero();
  }

  @Test
  void hashing_reusesItsKeptMemory_andDropsTheLargerMemoryOfAnOlderCost() {
    String phc = hasher.hash(PASSWORD, Purpose.SIGN_UP);
    long created = hasher.memory().blocksCreated();

    assertThat(hasher.verify(PASSWORD, phc, Purpose.LOGIN)).isTrue();
    hasher.hash(PASSWORD, Purpose.SIGN_UP);
    assertThat(hasher.memory().blocksCreated()).isEqualTo(created);

    String costlier = new PasswordHasher(new Argon2Params(256, 1, 1), new SecureRandom()).hash(PASSWORD, Purpose.SEED);
    int idle = hasher.memory().idleMemories();
    assertThat(hasher.verify(PASSWORD, costlier, Purpose.LOGIN)).isTrue();
    assertThat(hasher.memory().idleMemories()).isEqualTo(idle - 1); // its grown memory was left to the collector
  }

  @Test
  void params_validate() {
    assertThat(Argon2Params.OWASP_MINIMUM.toString()).isEqualTo("m=19456,t=2,p=1");
    assertThatThrownBy(() -> new Argon2Params(7, 1, 1)).hasMessageContaining("memoryKiB: 7 (expected: 8..");
    assertThatThrownBy(() -> new Argon2Params(64, 0, 1)).hasMessageContaining("iterations: 0");
    assertThatThrownBy(() -> new Argon2Params(64, 1, 17)).hasMessageContaining("parallelism: 17");
  }

  @Test
  void phc_roundTrips_andRejectsGarbage() {
    String phc = hasher.hash(PASSWORD, Purpose.SIGN_UP);

    assertThat(PhcHash.parse(phc).encode()).isEqualTo(phc);
    assertThat(PhcHash.parse(phc).params()).isEqualTo(CHEAP);
    for (String bad : new String[] {"", "$argon2i$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=64,t=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=99999999999,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=64,t=1,p=1$!!$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=64,t=1,p=1,x=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"}) {
      assertThatThrownBy(() -> PhcHash.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static byte[] reference(byte[] password, byte[] salt) {
    byte[] out = new byte[32];
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withIterations(3).withMemoryAsKB(32).withParallelism(4).withSalt(salt).build());
    g.generateBytes(password, out);
    return out;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
