package dev.stampede.directory.domain;

import com.google.common.net.InetAddresses;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.Utf8;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input limits of {@code directory.proto}, checked before any work. Every check names the field as the proto
 * spells it ({@code endpoints[2].host}) and says what was expected; none echoes a token or a lease id.
 *
 * <p>Stateless and thread-safe.
 */
public final class Inputs {
  /** Session tokens: 1..1024 bytes. */
  public static final int MAX_TOKEN_BYTES = 1024;
  /** Endpoints per registration. */
  public static final int MAX_ENDPOINTS = 8;
  /** Host names and literals: 1..253 ASCII bytes (the DNS limit). */
  public static final int MAX_HOST_BYTES = 253;
  /** Lease ids: 1..64 bytes. */
  public static final int MAX_LEASE_ID_BYTES = 64;
  /** Users per Watch, as the contract allows. */
  public static final int MAX_WATCH_USERS = 100;

  private static final int MAX_LABEL = 63;

  private Inputs() {
  }

  /** Checks a session token's size; its content is the verifier's business (anything else is UNAUTHENTICATED). */
  public static String sessionToken(String raw) {
    int bytes = Utf8.length(raw);
    if (bytes < 1 || bytes > MAX_TOKEN_BYTES) {
      throw new InvalidInputException("session_token: " + bytes + " bytes (expected: 1.." + MAX_TOKEN_BYTES
          + " bytes)");
    }
    return raw;
  }

  /** Checks the number of endpoints of a registration. */
  public static void endpointCount(int count) {
    if (count > MAX_ENDPOINTS) {
      throw new InvalidInputException("endpoints: " + count + " endpoints (expected: 0.." + MAX_ENDPOINTS + ")");
    }
  }

  /**
   * Checks one endpoint and returns it with its host in canonical form (IPv6 literals as RFC 5952 text, IPv4-mapped
   * IPv6 as IPv4), so that equal addresses compare equal.
   *
   * @param index its position in the request, for the message
   * @param kindNumber the enum's wire number (unknown numbers are refused)
   */
  public static Endpoint endpoint(int index, String host, int port, int kindNumber) {
    String field = "endpoints[" + index + "]";
    String canonical = host(field + ".host", host);
    if (port < 1 || port > 65535) {
      throw new InvalidInputException(field + ".port: " + Integer.toUnsignedString(port) + " (expected: 1..65535)");
    }
    if (kindNumber < 0 || kindNumber >= EndpointKind.values().length) {
      throw new InvalidInputException(field + ".kind: " + kindNumber + " (expected: one of "
          + List.of(EndpointKind.values()) + ")");
    }
    return new Endpoint(canonical, port, EndpointKind.ofOrdinal(kindNumber));
  }

  /** Checks a NAT type's wire number. */
  public static NatType natType(int number) {
    if (number < 0 || number >= NatType.values().length) {
      throw new InvalidInputException("nat_type: " + number + " (expected: one of " + List.of(NatType.values()) + ")");
    }
    return NatType.ofOrdinal(number);
  }

  /** Checks a user id: 1..64 characters of {@code [A-Za-z0-9_-]}, the only ids auth issues. */
  public static String userId(String field, String raw) {
    if (!SessionClaims.isWordId(raw)) {
      throw new InvalidInputException(field + ": " + describeId(raw)
          + " (expected: 1..64 characters of [A-Za-z0-9_-])");
    }
    return raw;
  }

  /** Checks a lease id's shape and decodes it; whose it is and whether it is live is decided later. */
  public static LeaseId leaseId(String raw) {
    int bytes = Utf8.length(raw);
    if (bytes < 1 || bytes > MAX_LEASE_ID_BYTES) {
      throw new InvalidInputException("lease_id: " + bytes + " bytes (expected: 1.." + MAX_LEASE_ID_BYTES
          + " bytes)");
    }
    LeaseId id = LeaseId.parse(raw);
    if (id == null) {
      throw new InvalidInputException("lease_id: malformed (expected: a lease id returned by Register)");
    }
    return id;
  }

  /** Checks the users of a Watch: 1..{@code max} distinct user ids. */
  public static List<String> watchedUsers(List<String> userIds, int max) {
    if (userIds.isEmpty() || userIds.size() > max) {
      throw new InvalidInputException("user_ids: " + userIds.size() + " users (expected: 1.." + max + ")");
    }
    Map<String, Integer> seen = new HashMap<>(userIds.size() * 2);
    for (int i = 0; i < userIds.size(); i++) {
      String id = userId("user_ids[" + i + "]", userIds.get(i));
      Integer first = seen.putIfAbsent(id, i);
      if (first != null) {
        throw new InvalidInputException("user_ids[" + i + "]: repeats user_ids[" + first
            + "] (expected: distinct user ids)");
      }
    }
    return List.copyOf(userIds);
  }

  static String host(String field, String raw) {
    int bytes = Utf8.length(raw);
    if (bytes < 1 || bytes > MAX_HOST_BYTES) {
      throw new InvalidInputException(field + ": " + bytes + " bytes (expected: 1.." + MAX_HOST_BYTES
          + " bytes of ASCII)");
    }
    if (bytes != raw.length()) {
      throw new InvalidInputException(field + ": not ASCII (expected: an IP literal or a DNS name)");
    }
    if (raw.indexOf('%') < 0 && InetAddresses.isInetAddress(raw)) {
      InetAddress address = InetAddresses.forString(raw);
      return InetAddresses.toAddrString(address);
    }
    if (!isDnsName(raw)) {
      throw new InvalidInputException(field + ": not an IP literal or a DNS name (expected: e.g. 192.0.2.7, "
          + "2001:db8::7 or host.example.org)");
    }
    return raw;
  }

  /** RFC 1123 host names: dot-separated labels of 1..63 letters, digits and hyphens, not starting or ending with one. */
  static boolean isDnsName(String s) {
    int labelStart = 0;
    boolean lastLabelNumeric = true;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        int len = i - labelStart;
        if (len < 1 || len > MAX_LABEL || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return false;
        }
        lastLabelNumeric = true;
        for (int j = labelStart; j < i; j++) {
          char c = s.charAt(j);
          if (c < '0' || c > '9') {
            lastLabelNumeric = false;
          }
        }
        labelStart = i + 1;
        continue;
      }
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return false;
      }
    }
    // A top-level label is never all digits: "10.0.0" is a broken IPv4 literal, not a name.
    return !lastLabelNumeric;
  }

  private static String describeId(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "empty";
    }
    int bytes = Utf8.length(raw);
    return bytes > SessionClaims.MAX_ID_BYTES ? bytes + " bytes" : "not a user id";
  }
}
