/**
 * Revocation of sessions: auth publishes revoked session ids per user in Redis
 * ({@link dev.stampede.tokens.revocation.RevocationRecords}); verifiers check them inline in a Lua script they run
 * anyway, or through the cached, coalescing {@link dev.stampede.tokens.revocation.RevocationCheck}.
 */
package dev.stampede.tokens.revocation;
