package dev.stampede.tokens;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What a session token says: whose session it is, on which device, which session (ticket family) and how long it
 * is valid. Times have whole-second precision (they travel as epoch seconds).
 *
 * <p>Immutable. The constructor enforces the contract's limits, so every token that verifies carries claims that
 * satisfy them.
 *
 * @param userId 1..64 characters of {@code [A-Za-z0-9_-]}
 * @param deviceId 1..64 characters of printable ASCII (0x21..0x7E)
 * @param sessionId 1..64 characters of {@code [A-Za-z0-9_-]}; stable across resumes of one log-in
 * @param issuedAt when the token was minted (truncated to seconds)
 * @param expiresAt when it stops being valid (truncated to seconds), after {@code issuedAt}
 */
public record SessionClaims(String userId, String deviceId, String sessionId, Instant issuedAt, Instant expiresAt) {
  /** Upper bound of every identifier in the claims, in bytes. */
  public static final int MAX_ID_BYTES = 64;

  /** @throws IllegalArgumentException naming the first field that breaks its limits */
  public SessionClaims {
    checkWordId("userId", userId);
    checkDeviceId(deviceId);
    checkWordId("sessionId", sessionId);
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt: " + expiresAt + " (expected: after issuedAt " + issuedAt + ")");
    }
  }

  /** True when {@code s} is 1..64 characters of {@code [A-Za-z0-9_-]} (user and session ids). */
  public static boolean isWordId(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_ID_BYTES) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code s} is 1..64 characters of printable ASCII, 0x21..0x7E (device ids). */
  public static boolean isDeviceId(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_ID_BYTES) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static void checkWordId(String field, String value) {
    if (!isWordId(value)) {
      throw new IllegalArgumentException(field + ": " + describe(value)
          + " (expected: 1..64 characters of [A-Za-z0-9_-])");
    }
  }

  private static void checkDeviceId(String value) {
    if (!isDeviceId(value)) {
      throw new IllegalArgumentException("deviceId: " + describe(value)
          + " (expected: 1..64 characters of printable ASCII)");
    }
  }

  private static String describe(String value) {
    return value == null ? "null" : value.length() + " characters";
  }
}
