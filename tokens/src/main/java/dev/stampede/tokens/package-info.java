/**
 * Stampede session tokens (DESIGN §5): short-lived bearer tokens that carry one HMAC-SHA256 per audience, so that
 * directory and relay verify them locally in about a microsecond and neither can mint a token the other accepts.
 *
 * <ul>
 *   <li>{@link dev.stampede.tokens.KeyRing}: one audience's keys with ids, parsed from
 *       {@code stampede.token.keys.<audience>}; the first key signs, all are accepted (rotation).</li>
 *   <li>{@link dev.stampede.tokens.SessionTokenMinter}: auth mints tokens for several audiences.</li>
 *   <li>{@link dev.stampede.tokens.SessionTokenVerifier}: a service verifies tokens for its own audience.</li>
 *   <li>{@link dev.stampede.tokens.revocation}: how revoked sessions are published and checked cheaply.</li>
 * </ul>
 */
package dev.stampede.tokens;
