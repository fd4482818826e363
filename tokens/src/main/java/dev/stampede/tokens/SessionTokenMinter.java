package dev.stampede.tokens;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mints session tokens that carry one HMAC per audience (Kerberos-style, DESIGN §5). Only auth holds a minter:
 * it needs the current key of every audience it mints for.
 *
 * <p>Immutable and thread-safe; minting costs one HMAC-SHA256 per audience (≈ 0.5 µs each).
 *
 * <pre>{@code
 * SessionTokenMinter minter = SessionTokenMinter.of(List.of(authRing, directoryRing, relayRing));
 * String token = minter.mint(claims);                      // valid for auth, directory and relay
 * String onlyDirectory = minter.mint(claims, Set.of("directory"));
 * }</pre>
 */
public final class SessionTokenMinter {
  private final Map<String, KeyRing> rings;

  private SessionTokenMinter(Map<String, KeyRing> rings) {
    this.rings = rings;
  }

  /**
   * Creates a minter for the given audiences' rings.
   *
   * @throws IllegalArgumentException if {@code rings} is empty, names an audience twice, or two audiences share a
   *     key (then one service could mint tokens for the other)
   */
  public static SessionTokenMinter of(Collection<KeyRing> rings) {
    if (rings.isEmpty()) {
      throw new IllegalArgumentException("rings: empty (expected: at least one audience)");
    }
    LinkedHashMap<String, KeyRing> byAudience = new LinkedHashMap<>();
    for (KeyRing ring : rings) {
      for (KeyRing other : byAudience.values()) {
        if (ring.sharesKeyMaterialWith(other)) {
          throw new IllegalArgumentException("rings: audiences " + other.audience() + " and " + ring.audience()
              + " share a key (expected: distinct keys per audience)");
        }
      }
      if (byAudience.put(ring.audience(), ring) != null) {
        throw new IllegalArgumentException("rings: audience " + ring.audience() + " twice");
      }
    }
    return new SessionTokenMinter(byAudience);
  }

  /** The audiences this minter signs for, in the order of its rings. */
  public Set<String> audiences() {
    return rings.keySet();
  }

  /** Mints a token valid for every audience of this minter. */
  public String mint(SessionClaims claims) {
    return mint(claims, rings.keySet());
  }

  /**
   * Mints a token valid for the given audiences, each MAC'd with its ring's current key.
   *
   * @throws IllegalArgumentException if {@code audiences} is empty or names an audience this minter has no ring for
   */
  public String mint(SessionClaims claims, Collection<String> audiences) {
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("audiences: empty (expected: at least one of " + rings.keySet() + ")");
    }
    List<KeyRing> selected = new ArrayList<>(audiences.size());
    for (String audience : audiences) {
      KeyRing ring = rings.get(audience);
      if (ring == null) {
        throw new IllegalArgumentException("audiences: " + audience + " (expected: one of " + rings.keySet() + ")");
      }
      selected.add(ring);
    }
    String signed = SessionTokenFormat.PREFIX + SessionTokenFormat.encodePayload(claims);
    StringBuilder token = new StringBuilder(signed.length() + selected.size() * 64).append(signed);
    for (KeyRing ring : selected) {
      String kid = ring.currentKeyId();
      token.append('.').append(ring.audience()).append(':').append(kid).append(':')
          .append(SessionTokenFormat.mac(ring.currentKey(), signed, ring.audience(), kid));
    }
    if (token.length() > SessionTokenFormat.MAX_CHARS) {
      // Claims are bounded so that three audiences always fit; more would break the contract's 1 KiB.
      throw new IllegalArgumentException("audiences: token of " + token.length() + " characters (expected: ≤ "
          + SessionTokenFormat.MAX_CHARS + ")");
    }
    return token.toString();
  }
}
