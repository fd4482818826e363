package dev.stampede.directory.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The opaque lease id handed out by Register: which registration of which device of which user it names.
 *
 * <pre>
 *   base64url(no padding) of  u8 version (1) | u64 nonce | 6-byte owner tag         (20 characters)
 *   owner tag = SHA-256("stampede/lease/v1" 0x00 userId 0x00 deviceId 0x00 nonce)[0..6]
 * </pre>
 *
 * <p>The nonce is what Redis stores for the device: re-registering draws a new one, so an older lease id stops
 * working ({@code NOT_FOUND}). The owner tag lets the server tell, without a round trip, that a lease id belongs to
 * another user or another device ({@code PERMISSION_DENIED}). The tag is not a secret and need not be: a caller can
 * only ever touch the keys of the user and device its session token names, so forging a tag gains nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class LeaseId {
  private static final byte VERSION = 1;
  private static final int TAG_BYTES = 6;
  private static final int BYTES = 1 + Long.BYTES + TAG_BYTES;
  /** Length of every lease id in characters. */
  public static final int LENGTH = 20;

  private static final byte[] DOMAIN = "stampede/lease/v1".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  });

  private final long nonce;
  private final byte[] tag;
  private final String text;

  private LeaseId(long nonce, byte[] tag, String text) {
    this.nonce = nonce;
    this.tag = tag;
    this.text = text;
  }

  /** The lease id of registration {@code nonce} of {@code deviceId} of {@code userId}. */
  public static LeaseId issue(String userId, String deviceId, long nonce) {
    byte[] tag = tag(userId, deviceId, nonce);
    ByteBuffer buf = ByteBuffer.allocate(BYTES).put(VERSION).putLong(nonce).put(tag);
    return new LeaseId(nonce, tag, B64.encodeToString(buf.array()));
  }

  /**
   * Decodes a lease id.
   *
   * @return the lease id, or {@code null} if {@code text} is not one this service issues (wrong length, alphabet
   *     or version, or a non-canonical spelling)
   */
  public static LeaseId parse(String text) {
    if (text == null || text.length() != LENGTH) {
      return null;
    }
    byte[] raw;
    try {
      raw = B64D.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (raw.length != BYTES || raw[0] != VERSION || !B64.encodeToString(raw).equals(text)) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(raw, 1, BYTES - 1);
    long nonce = buf.getLong();
    byte[] tag = new byte[TAG_BYTES];
    buf.get(tag);
    return new LeaseId(nonce, tag, text);
  }

  /** The registration nonce stored for the device. */
  public long nonce() {
    return nonce;
  }

  /** Whether this lease id was issued to {@code deviceId} of {@code userId}. */
  public boolean belongsTo(String userId, String deviceId) {
    return MessageDigest.isEqual(tag, tag(userId, deviceId, nonce));
  }

  /** The text form sent to clients. */
  public String text() {
    return text;
  }

  private static byte[] tag(String userId, String deviceId, long nonce) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(DOMAIN);
    sha.update((byte) 0);
    sha.update(userId.getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    sha.update(deviceId.getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    for (int shift = 56; shift >= 0; shift -= 8) {
      sha.update((byte) (nonce >>> shift));
    }
    byte[] digest = sha.digest();
    byte[] tag = new byte[TAG_BYTES];
    System.arraycopy(digest, 0, tag, 0, TAG_BYTES);
    return tag;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeaseId && ((LeaseId) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Lease ids are not secrets, but logs name users and devices instead. */
  @Override
  public String toString() {
    return "LeaseId[" + Long.toHexString(nonce) + "]";
  }
}
