package dev.stampede.auth.domain;

import dev.stampede.tokens.SessionClaims;
import java.util.List;

/**
 * The answer to GetSession (RFC 7662 style): {@code claims} and {@code audiences} are set only when active.
 */
public record Introspection(boolean active, SessionClaims claims, List<String> audiences) {
  /** The inactive answer: forged, expired, malformed or revoked all look the same. */
  public static final Introspection INACTIVE = new Introspection(false, null, List.of());
}
