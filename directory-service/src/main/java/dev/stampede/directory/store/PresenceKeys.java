package dev.stampede.directory.store;

import dev.stampede.tokens.revocation.RevocationRecords;

/**
 * The directory's Redis keys and channels (DESIGN §4). Everything of one user carries the hash tag
 * {@code {u:<userId>}}, so a script touching a user's presence and revocation records stays in one cluster slot.
 *
 * <pre>
 *   {u:&lt;userId&gt;}:p        HASH  device id → {@link DeviceLeaseCodec} value; key TTL = the latest lease expiry
 *   {u:&lt;userId&gt;}:revoked  HASH  written by auth ({@link RevocationRecords}); read inside the scripts
 *   {u:&lt;userId&gt;}:w        pub/sub channel: "the presence of this user changed"
 * </pre>
 *
 * <p>The presence key's suffix is one letter on purpose: the key name is stored once per present user and is part
 * of the memory budget per device.
 */
public final class PresenceKeys {
  private PresenceKeys() {
  }

  /** The presence hash of a user (the id must already be validated). */
  public static String presence(String userId) {
    return "{u:" + userId + "}:p";
  }

  /** The change channel of a user. */
  public static String channel(String userId) {
    return "{u:" + userId + "}:w";
  }

  /** The user whose change channel this is, or {@code null} if it is not one. */
  public static String userOfChannel(String channel) {
    if (channel.length() < 7 || !channel.startsWith("{u:") || !channel.endsWith("}:w")) {
      return null;
    }
    return channel.substring(3, channel.length() - 3);
  }

  /** The revocation hash auth writes for a user. */
  public static String revoked(String userId) {
    return RevocationRecords.key(userId);
  }
}
