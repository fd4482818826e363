package dev.stampede.auth.domain;

import dev.stampede.tokens.Utf8;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Locale;

/**
 * A user name in its normal form (auth.proto, CreateAccountRequest.username): Unicode NFKC, case-folded, 1..64
 * bytes of UTF-8, no control, unassigned or separator-line characters, no leading or trailing white space. Names
 * that normalise to the same string are the same account.
 *
 * <p>Case folding is approximated by lower-, upper- then lower-casing in the root locale, which applies the full
 * (multi-character) mappings Unicode case folding applies ("Straße" and "STRASSE" fold alike, final sigma folds to
 * sigma); NFKC and folding repeat until the string settles, so the result is idempotent.
 *
 * <p>The account's user id is derived from the normal form ({@link #userId()}), so the name is claimed by the
 * same single Redis key that holds the account — atomic, and in one Redis Cluster slot.
 */
public final class Username {
  /** Bound on the normalised name (DESIGN §3). */
  public static final int MAX_BYTES = 64;
  /** Bound on the raw name we are willing to normalise (NFKC can shrink full-width text three-fold). */
  static final int MAX_RAW_BYTES = 4 * MAX_BYTES;
  private static final String EXPECTED = " (expected: 1..64 bytes UTF-8 after normalisation)";
  private static final int MAX_ROUNDS = 4;
  private static final byte[] USER_ID_DOMAIN = "stampede/user-id/v1\0".getBytes(StandardCharsets.US_ASCII);

  private final String value;

  private Username(String value) {
    this.value = value;
  }

  /**
   * Normalises and checks a name.
   *
   * @param field the request field, for the error message
   * @throws InvalidInputException naming {@code field} when the name breaks the rules
   */
  public static Username parse(String field, String raw) {
    int rawBytes = Utf8.length(raw);
    if (rawBytes == 0) {
      throw new InvalidInputException(field + ": empty" + EXPECTED);
    }
    if (rawBytes > MAX_RAW_BYTES) {
      throw new InvalidInputException(field + ": " + rawBytes + " bytes" + EXPECTED);
    }
    String normal = normalise(raw);
    if (normal == null) {
      throw new InvalidInputException(field + ": does not settle under NFKC and case folding");
    }
    int bytes = Utf8.length(normal);
    if (bytes == 0 || bytes > MAX_BYTES) {
      throw new InvalidInputException(field + ": " + bytes + " bytes" + EXPECTED);
    }
    checkCharacters(field, normal);
    return new Username(normal);
  }

  /**
   * NFKC, then case folding, repeated until nothing changes (case mapping can leave text unnormalised, and a few
   * characters fold in two steps, e.g. U+1E9E → ß → ss). Idempotent; at most {@value #MAX_ROUNDS} rounds.
   *
   * @return the normal form, or {@code null} when it does not settle (no real name does)
   */
  static String normalise(String raw) {
    String current = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String folded = current.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
      String next = Normalizer.normalize(folded, Normalizer.Form.NFKC);
      if (next.equals(current)) {
        return current;
      }
      current = next;
    }
    return null;
  }

  private static void checkCharacters(String field, String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.UNASSIGNED || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        throw new InvalidInputException(field + ": character U+" + String.format("%04X", cp) + " at offset " + i
            + " (expected: no control, unassigned or line-separator characters)");
      }
      i += Character.charCount(cp);
    }
    if (isSpace(s.codePointAt(0)) || isSpace(s.codePointBefore(s.length()))) {
      throw new InvalidInputException(field + ": leading or trailing white space (expected: none)");
    }
  }

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** The normal form. */
  public String value() {
    return value;
  }

  /**
   * The stable, opaque user id of the account with this name: {@code u} + base64url of the first 16 bytes of
   * SHA-256 over a domain prefix and the normal form (23 characters of {@code [A-Za-z0-9_-]}).
   */
  public String userId() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(USER_ID_DOMAIN);
      byte[] digest = sha.digest(value.getBytes(StandardCharsets.UTF_8));
      return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Username && ((Username) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Names are personal data: log the user id instead. */
  @Override
  public String toString() {
    return "Username[" + userId() + "]";
  }
}
