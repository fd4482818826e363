package dev.stampede.relay.store;

/**
 * The relay's Redis key schema (DESIGN §4). Keys used by one script share a hash tag, so every script stays in
 * one slot of a Redis Cluster:
 *
 * <pre>
 * relay:pods                        ZSET  pod address → lease expiry (epoch ms): pods that accept moved allocations
 * {p:&lt;pod&gt;}:relay:allocs            ZSET  allocation id → expiry (epoch ms): what a pod holds (its capacity)
 * {u:&lt;userId&gt;}:relay:allocs         ZSET  allocation id → expiry (epoch ms): what a user owns (their quota)
 * {a:&lt;id&gt;}:relay:alloc              HASH  owner, peer, pod, expires (epoch ms), bound (peer has joined once)
 * {a:&lt;id&gt;}:relay:join               HASH  SHA-256 of an unused join token →
 *                                       "&lt;userId&gt; &lt;expiry epoch ms&gt;"
 * </pre>
 *
 * <p>Expiry is logical (the {@code expires} field and the set scores, compared with the relay's clock) and also
 * physical (a key TTL a little longer than the logical one, so nothing lingers when no pod is left to clean up).
 */
public final class Keys {
  /** The pod registry. */
  public static final String PODS = "relay:pods";

  private Keys() {
  }

  public static String podAllocations(String pod) {
    return "{p:" + pod + "}:relay:allocs";
  }

  public static String userAllocations(String userId) {
    return "{u:" + userId + "}:relay:allocs";
  }

  public static String allocation(String allocationId) {
    return "{a:" + allocationId + "}:relay:alloc";
  }

  public static String joinTokens(String allocationId) {
    return "{a:" + allocationId + "}:relay:join";
  }
}
