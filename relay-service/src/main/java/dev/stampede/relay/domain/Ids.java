package dev.stampede.relay.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Allocation ids and join tokens: 128 and 256 random bits, base64url without padding. Join tokens are stored only
 * as their SHA-256 ({@link #tokenHash}), so a copy of Redis lets nobody join. Thread-safe.
 */
public final class Ids {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final SecureRandom random;

  public Ids(SecureRandom random) {
    this.random = random;
  }

  /** A new allocation id: 22 characters of {@code [A-Za-z0-9_-]}. */
  public String newAllocationId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return B64.encodeToString(b);
  }

  /** A new join token: 43 characters of {@code [A-Za-z0-9_-]}. */
  public String newJoinToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return B64.encodeToString(b);
  }

  /** What the store keeps of a join token. */
  public static String tokenHash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return B64.encodeToString(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Whether {@code s} could be an id this relay issued (1..64 characters of {@code [A-Za-z0-9_-]}). */
  public static boolean isWellFormedId(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
