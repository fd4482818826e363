package dev.stampede.auth.domain;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (Bouncy Castle) in PHC format, with the configured cost for new hashes.
 *
 * <p>Every method that hashes is CPU-bound for tens of milliseconds and uses the configured memory: call it only
 * from the bounded hashing pool (or a start-up thread), never from an event loop. The memory is kept from one hash
 * to the next ({@link Argon2Memory}), so hashing allocates almost nothing. Unknown users are checked against a
 * dummy PHC string with the current parameters and random salt and hash bytes, so they cost the same work as a wrong
 * password. Construction does no hashing, so it may happen anywhere.
 *
 * <p>Counts every hash it computes, by purpose ({@code stampede_auth_password_hashes_total}): a reboot storm that
 * resumes correctly leaves the counter still.
 *
 * <p>Thread-safe.
 */
public final class PasswordHasher {
  /** Why a hash was computed (a metric label). */
  public enum Purpose {
    SIGN_UP, LOGIN, REHASH, SEED;

    /** The label value. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static final int SALT_BYTES = 16;
  /** Blocks a hash uses besides its memory (the block function's working blocks), with room to spare. */
  private static final int FILL_BLOCKS = 16;
  static final int HASH_BYTES = 32;

  private final Argon2Params params;
  private final SecureRandom random;
  private final Argon2Memory memory;
  private final Map<Purpose, LongAdder> computed = new EnumMap<>(Purpose.class);
  private final String dummy;

  /** A hasher that keeps one Argon2 memory per core ({@link #PasswordHasher(Argon2Params, SecureRandom, int)}). */
  public PasswordHasher(Argon2Params params, SecureRandom random) {
    this(params, random, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Creates a hasher for {@code params} that keeps {@code keptMemories} Argon2 memories for reuse (one per thread
   * that hashes at the same time; more are allocated and dropped when needed). Does no hashing; installs the JIT
   * directive that keeps the hash at full speed ({@link Argon2Inlining}) if no hasher has yet.
   */
  public PasswordHasher(Argon2Params params, SecureRandom random, int keptMemories) {
    Argon2Inlining.install();
    this.params = params;
    this.random = random;
    this.memory = new Argon2Memory(keptMemories,
        Argon2BytesGenerator.getBlockCount(params.memoryKiB(), params.parallelism()) + FILL_BLOCKS);
    for (Purpose p : Purpose.values()) {
      computed.put(p, new LongAdder());
    }
    // Random bytes, not the hash of anything: checking a password against it costs exactly the work of checking
    // it against a real hash with the current parameters, and it never matches. Made without hashing, so a
    // starting pod spends no CPU on it.
    byte[] salt = new byte[SALT_BYTES];
    byte[] unmatchable = new byte[HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(unmatchable);
    this.dummy = new PhcHash(params, salt, unmatchable).encode();
  }

  /** The parameters new hashes get. */
  public Argon2Params params() {
    return params;
  }

  /** Hashes a password with a fresh salt and the current parameters; returns the PHC string. */
  public String hash(byte[] password, Purpose purpose) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PhcHash(params, salt, compute(password, params, salt, purpose)).encode();
  }

  /**
   * Verifies a password against a stored PHC string, or against the dummy hash when {@code phc} is null (unknown
   * user: same work, always false). A stored string that does not parse also costs the dummy's work and fails.
   */
  public boolean verify(byte[] password, String phc, Purpose purpose) {
    PhcHash stored;
    try {
      stored = PhcHash.parse(phc == null ? dummy : phc);
    } catch (IllegalArgumentException e) {
      compute(password, params, new byte[SALT_BYTES], purpose);
      return false;
    }
    byte[] actual = compute(password, stored.params(), stored.salt(), purpose, stored.hash().length);
    return phc != null && MessageDigest.isEqual(actual, stored.hash());
  }

  /** True when a stored hash was made with other parameters than the current ones (or does not parse). */
  public boolean needsRehash(String phc) {
    try {
      return !PhcHash.parse(phc).params().equals(params);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** The kept Argon2 memory (for tests). */
  Argon2Memory memory() {
    return memory;
  }

  /** How many hashes were computed for {@code purpose} since start. */
  public long hashesComputed(Purpose purpose) {
    return computed.get(purpose).sum();
  }

  private byte[] compute(byte[] password, Argon2Params p, byte[] salt, Purpose purpose) {
    return compute(password, p, salt, purpose, HASH_BYTES);
  }

  private byte[] compute(byte[] password, Argon2Params p, byte[] salt, Purpose purpose, int length) {
    Argon2Memory.Lease blocks = memory.lease();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(p.memoryKiB())
        .withIterations(p.iterations())
        .withParallelism(p.parallelism())
        .withSalt(salt)
        .withBlockPool(blocks)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    blocks.release();
    computed.get(purpose).increment();
    return out;
  }
}
