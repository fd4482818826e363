package dev.stampede.tokens.revocation;

import dev.stampede.tokens.SessionClaims;

/**
 * Where auth publishes revoked sessions in Redis, and how a verifier checks one (DESIGN §4 key schema).
 *
 * <p>One hash per user, under the user's hash tag so that it shares a Redis Cluster slot with every other key of
 * that user:
 *
 * <pre>
 *   {u:&lt;userId&gt;}:revoked   HASH   &lt;sessionId&gt; → epoch milliseconds until which the record matters
 * </pre>
 *
 * <p>Auth adds a field when a session ends (Logout) or its ticket family is revoked (re-use of a rotated resume
 * ticket). A record must outlive every token of its session, so auth keeps it for the session-token TTL plus the
 * verifiers' allowed clock skew plus a margin; the key's TTL is extended to the latest such time and fields that
 * no longer matter are pruned whenever auth writes (Redis 6.2 has no per-field expiry). The hash therefore holds
 * only sessions of this user revoked within the last token lifetime — normally none, so the key does not exist.
 *
 * <p>A verifier checks with {@code HEXISTS {u:<userId>}:revoked <sessionId>}, in one of two ways:
 * <ul>
 *   <li><b>Inline</b>, inside the Lua script the request runs anyway on the same user's keys (directory's Register
 *       and Heartbeat touch {@code {u:<userId>}:...}): pass {@link #key} in {@code KEYS} and the session id in
 *       {@code ARGV} and add {@code if redis.call('HEXISTS', KEYS[n], ARGV[m]) == 1 then ... end}. Cost: one hash
 *       probe inside a script already running, no extra round trip. Staleness: none (atomic with the operation).</li>
 *   <li><b>Cached</b>, where the request makes no round trip on the caller's keys (relay, directory Lookup and
 *       Watch start): {@link RevocationCheck} asks Redis at most once per session per staleness bound
 *       (default 2 s) and shares concurrent look-ups.</li>
 * </ul>
 * Either way a revoked token also dies on its own at expiry (minutes), which bounds the damage of any staleness.
 */
public final class RevocationRecords {
  private RevocationRecords() {
  }

  /**
   * The revocation hash of a user: {@code {u:<userId>}:revoked}.
   *
   * @throws IllegalArgumentException if {@code userId} is not a valid user id (1..64 of {@code [A-Za-z0-9_-]})
   */
  public static String key(String userId) {
    if (!SessionClaims.isWordId(userId)) {
      throw new IllegalArgumentException("userId: " + (userId == null ? "null" : userId.length() + " characters")
          + " (expected: 1..64 characters of [A-Za-z0-9_-])");
    }
    return "{u:" + userId + "}:revoked";
  }
}
