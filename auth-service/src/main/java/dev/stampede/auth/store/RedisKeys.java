package dev.stampede.auth.store;

import dev.stampede.tokens.revocation.RevocationRecords;

/**
 * auth's Redis key schema (DESIGN §4). Every key of a user carries the hash tag {@code {u:<userId>}}, so each
 * script touches one Redis Cluster slot.
 *
 * <pre>
 *   {u:&lt;userId&gt;}:acct               HASH name, phc (Argon2id PHC), ct (created, epoch ms)      no TTL
 *   {u:&lt;userId&gt;}:fam:&lt;sessionId&gt;    HASH dev, cur (SHA-256 of the current ticket), gen, rev,     TTL = ticket TTL,
 *                                     ct, rt (last rotation, epoch ms)                        sliding
 *   {u:&lt;userId&gt;}:revoked            HASH &lt;sessionId&gt; → epoch ms the record matters until      TTL = latest record
 * </pre>
 */
final class RedisKeys {
  private RedisKeys() {
  }

  static String account(String userId) {
    return "{u:" + userId + "}:acct";
  }

  static String family(String userId, String sessionId) {
    return "{u:" + userId + "}:fam:" + sessionId;
  }

  static String revoked(String userId) {
    return RevocationRecords.key(userId);
  }
}
