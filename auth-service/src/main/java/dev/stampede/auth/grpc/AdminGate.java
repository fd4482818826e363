package dev.stampede.auth.grpc;

import dev.stampede.admission.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the admin calls (GetSession, SeedAccounts): {@code authorization: Bearer <credential>} must match the
 * configured service credential, compared in constant time. Immutable and thread-safe.
 */
final class AdminGate {
  /** A credential shorter than this is refused at start: it would be guessable. */
  static final int MIN_CREDENTIAL_CHARS = 16;

  private final byte[] credential;
  private final boolean seedEnabled;

  /**
   * @throws IllegalArgumentException if the credential is set but shorter than 16 characters
   */
  AdminGate(Optional<String> credential, boolean seedEnabled) {
    if (credential.isPresent() && credential.get().length() < MIN_CREDENTIAL_CHARS) {
      throw new IllegalArgumentException("stampede.auth.admin.credential: " + credential.get().length()
          + " characters (expected: at least " + MIN_CREDENTIAL_CHARS + ")");
    }
    this.credential = credential.map(c -> c.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.seedEnabled = seedEnabled;
  }

  /**
   * Checks the caller's credential.
   *
   * @throws ApiException {@code UNAUTHENTICATED} without a bearer credential, {@code PERMISSION_DENIED} with a
   *     wrong one (or when this server has none configured)
   */
  void requireAdmin(CallerInfo caller) {
    String header = caller.authorization();
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      throw ApiException.unauthenticated(null, "authorization: missing (expected: Bearer <service credential>)");
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (credential == null || !MessageDigest.isEqual(presented, credential)) {
      throw ApiException.permissionDenied("authorization: wrong service credential");
    }
  }

  /**
   * Checks that SeedAccounts may run.
   *
   * @throws ApiException {@code PERMISSION_DENIED} when it is disabled on this server
   */
  void requireSeedEnabled() {
    if (!seedEnabled) {
      throw ApiException.permissionDenied("SeedAccounts is disabled on this server");
    }
  }
}
