package dev.stampede.relay.domain;

import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.Utf8;

/**
 * The input limits of {@code relay.proto}, checked before any work. Each check throws
 * {@link RelayException.Kind#INVALID_ARGUMENT} naming the field and what was expected.
 */
public final class Inputs {
  public static final int MAX_SESSION_TOKEN_BYTES = 1024;
  public static final int MAX_ID_BYTES = 64;
  public static final int MAX_JOIN_TOKEN_BYTES = 256;

  private Inputs() {
  }

  public static void sessionToken(String field, String value) {
    int n = Utf8.length(value);
    if (n < 1 || n > MAX_SESSION_TOKEN_BYTES) {
      throw RelayException.invalidArgument(field + ": " + n + " bytes (expected: 1.." + MAX_SESSION_TOKEN_BYTES
          + " bytes)");
    }
  }

  public static void peerUserId(String value) {
    if (!SessionClaims.isWordId(value)) {
      throw RelayException.invalidArgument("peer_user_id: " + describe(value)
          + " (expected: 1..64 characters of [A-Za-z0-9_-])");
    }
  }

  public static void allocationId(String field, String value) {
    int n = Utf8.length(value);
    if (n < 1 || n > MAX_ID_BYTES) {
      throw RelayException.invalidArgument(field + ": " + n + " bytes (expected: 1.." + MAX_ID_BYTES + " bytes)");
    }
  }

  public static void joinToken(String value) {
    int n = Utf8.length(value);
    if (n > MAX_JOIN_TOKEN_BYTES) {
      throw RelayException.invalidArgument("join.join_token: " + n + " bytes (expected: 0.." + MAX_JOIN_TOKEN_BYTES
          + " bytes)");
    }
  }

  private static String describe(String value) {
    int n = Utf8.length(value);
    return n == 0 ? "empty" : n + " bytes";
  }
}
