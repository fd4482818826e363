package dev.stampede.auth.domain;

import java.util.Arrays;
import java.util.Base64;

/**
 * An Argon2id hash in the PHC string format, as stored:
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>} with standard base64 without padding.
 * The parameters travel with the hash, so they can be raised and old hashes still verify.
 */
record PhcHash(Argon2Params params, byte[] salt, byte[] hash) {
  private static final String PREFIX = "$argon2id$v=19$";
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  String encode() {
    return PREFIX + "m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /**
   * Parses a stored PHC string.
   *
   * @throws IllegalArgumentException if it is not an Argon2id v19 PHC string with sane parameters
   */
  static PhcHash parse(String phc) {
    if (phc == null || !phc.startsWith(PREFIX)) {
      throw new IllegalArgumentException("phc: not $argon2id$v=19$");
    }
    String[] parts = phc.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("phc: expected params$salt$hash");
    }
    int m = -1;
    int t = -1;
    int p = -1;
    for (String kv : parts[0].split(",", -1)) {
      int eq = kv.indexOf('=');
      if (eq < 0 || eq == kv.length() - 1 || kv.length() - eq > 9) {
        throw new IllegalArgumentException("phc: bad parameter");
      }
      int value;
      try {
        value = Integer.parseInt(kv.substring(eq + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("phc: bad parameter value");
      }
      switch (kv.substring(0, eq)) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> throw new IllegalArgumentException("phc: unknown parameter");
      }
    }
    byte[] salt = B64D.decode(parts[1]);
    byte[] hash = B64D.decode(parts[2]);
    if (salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > 64) {
      throw new IllegalArgumentException("phc: salt or hash length out of range");
    }
    return new PhcHash(new Argon2Params(m, t, p), salt, hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PhcHash && ((PhcHash) o).params.equals(params)
        && Arrays.equals(((PhcHash) o).salt, salt) && Arrays.equals(((PhcHash) o).hash, hash);
  }

  @Override
  public int hashCode() {
    return params.hashCode() * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "PhcHash[" + params + "]";
  }
}
