package dev.stampede.auth.domain;

import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.Utf8;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/** The contract's limits on request fields other than user names (auth.proto). Each check names the field. */
public final class Inputs {
  /** Passwords: at most 1 KiB of UTF-8 (DESIGN §3). */
  public static final int MAX_PASSWORD_BYTES = 1024;
  /** Passwords of new accounts: at least 8 bytes. */
  public static final int MIN_NEW_PASSWORD_BYTES = 8;
  /** Resume tickets: 1..256 bytes. */
  public static final int MAX_TICKET_BYTES = 256;
  /** Resume idempotency keys: empty, or 16..64 bytes of printable ASCII. */
  public static final int MIN_IDEMPOTENCY_KEY_BYTES = 16;
  /** Session tokens: at most 1 KiB. */
  public static final int MAX_TOKEN_BYTES = 1024;

  private Inputs() {
  }

  /**
   * Checks a password's length as sent and returns the bytes that are hashed: the password in Unicode NFC, UTF-8
   * (RFC 8265 OpaqueString: the same password typed on systems that compose differently hashes alike).
   *
   * @param minBytes 8 for new passwords, 1 for log-in
   */
  public static byte[] password(String field, String raw, int minBytes) {
    int bytes = Utf8.length(raw);
    if (bytes < minBytes || bytes > MAX_PASSWORD_BYTES) {
      throw new InvalidInputException(field + ": " + bytes + " bytes (expected: " + minBytes + ".."
          + MAX_PASSWORD_BYTES + " bytes UTF-8)");
    }
    return Normalizer.normalize(raw, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
  }

  /** Checks a device id: 1..64 bytes of printable ASCII. */
  public static String deviceId(String field, String raw) {
    if (!SessionClaims.isDeviceId(raw)) {
      throw new InvalidInputException(field + ": " + describe(raw)
          + " (expected: 1..64 bytes of printable ASCII, 0x21..0x7E)");
    }
    return raw;
  }

  /** Checks a resume ticket's length: 1..256 bytes. Its content is the ticket codec's business. */
  public static String ticket(String field, String raw) {
    int bytes = Utf8.length(raw);
    if (bytes < 1 || bytes > MAX_TICKET_BYTES) {
      throw new InvalidInputException(field + ": " + bytes + " bytes (expected: 1.." + MAX_TICKET_BYTES + " bytes)");
    }
    return raw;
  }

  /** Checks a Resume idempotency key: empty (none), or 16..64 bytes of printable ASCII. */
  public static String idempotencyKey(String field, String raw) {
    if (raw.isEmpty()) {
      return raw;
    }
    if (raw.length() < MIN_IDEMPOTENCY_KEY_BYTES || !SessionClaims.isDeviceId(raw)) {
      throw new InvalidInputException(field + ": " + (raw.length() < MIN_IDEMPOTENCY_KEY_BYTES
          ? Utf8.length(raw) + " bytes" : describe(raw))
          + " (expected: empty, or " + MIN_IDEMPOTENCY_KEY_BYTES + "..64 bytes of printable ASCII, 0x21..0x7E)");
    }
    return raw;
  }

  /** Checks a session token's length: {@code minBytes}..1024 bytes. */
  public static String sessionToken(String field, String raw, int minBytes) {
    int bytes = Utf8.length(raw);
    if (bytes < minBytes || bytes > MAX_TOKEN_BYTES) {
      throw new InvalidInputException(field + ": " + bytes + " bytes (expected: " + minBytes + ".."
          + MAX_TOKEN_BYTES + " bytes)");
    }
    return raw;
  }

  private static String describe(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "empty";
    }
    int bytes = Utf8.length(raw);
    return bytes > SessionClaims.MAX_ID_BYTES ? bytes + " bytes" : "not printable ASCII";
  }
}
