package dev.stampede.tokens;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The wire format of a session token, version 1:
 *
 * <pre>
 *   s1.&lt;payload&gt;(.&lt;audience&gt;:&lt;kid&gt;:&lt;mac&gt;)+
 *
 *   payload = base64url(no padding) of
 *             u8 version (1) | i64 issued-at epoch s | i64 expires-at epoch s
 *             | u8 len | user id | u8 len | session id | u8 len | device id      (ASCII)
 *   mac     = base64url(no padding) of HMAC-SHA256(key[audience][kid], "s1." payload "|" audience ":" kid)
 * </pre>
 *
 * <p>Each audience's MAC covers the payload, its own audience name and its key id, so a segment can be neither
 * moved to another audience nor re-labelled with another key id; removing segments only removes audiences. The
 * payload is authenticated, not encrypted: it names the user, session and device, none of which is secret.
 */
final class SessionTokenFormat {
  static final String PREFIX = "s1.";
  /** The contract's bound on a session token (auth.proto: "≤ 1 KiB"). */
  static final int MAX_CHARS = 1024;
  static final byte VERSION = 1;
  static final int MAC_CHARS = 43; // 32 bytes, base64url without padding

  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private SessionTokenFormat() {
  }

  static String encodePayload(SessionClaims claims) {
    byte[] user = claims.userId().getBytes(StandardCharsets.US_ASCII);
    byte[] session = claims.sessionId().getBytes(StandardCharsets.US_ASCII);
    byte[] device = claims.deviceId().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 + 3 + user.length + session.length + device.length);
    buf.put(VERSION)
        .putLong(claims.issuedAt().getEpochSecond())
        .putLong(claims.expiresAt().getEpochSecond())
        .put((byte) user.length).put(user)
        .put((byte) session.length).put(session)
        .put((byte) device.length).put(device);
    return B64.encodeToString(buf.array());
  }

  /**
   * Decodes a payload whose MAC has been checked.
   *
   * @throws IllegalArgumentException if it is not a version-1 payload holding valid claims
   */
  static SessionClaims decodePayload(String payload) {
    ByteBuffer buf = ByteBuffer.wrap(B64D.decode(payload));
    if (buf.remaining() < 20 || buf.get() != VERSION) {
      throw new IllegalArgumentException("payload: not version 1");
    }
    Instant issuedAt = Instant.ofEpochSecond(buf.getLong());
    Instant expiresAt = Instant.ofEpochSecond(buf.getLong());
    String user = ascii(buf);
    String session = ascii(buf);
    String device = ascii(buf);
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException("payload: trailing bytes");
    }
    return new SessionClaims(user, device, session, issuedAt, expiresAt);
  }

  private static String ascii(ByteBuffer buf) {
    int len = buf.get() & 0xFF;
    if (len > buf.remaining()) {
      throw new IllegalArgumentException("payload: truncated");
    }
    byte[] bytes = new byte[len];
    buf.get(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** The MAC of one audience segment, as base64url; {@code signed} is {@code "s1." + payload}. */
  static String mac(SecretKey key, String signed, String audience, String keyId) {
    return B64.encodeToString(rawMac(key, signed, 0, signed.length(), audience, keyId));
  }

  /** HMAC over {@code text[from, to) + "|" + audience + ":" + keyId}; all of it is ASCII. */
  static byte[] rawMac(SecretKey key, String text, int from, int to, String audience, String keyId) {
    Mac mac = Hmac.with(key);
    byte[] scratch = new byte[to - from + 2 + audience.length() + keyId.length()];
    int n = 0;
    for (int i = from; i < to; i++) {
      scratch[n++] = (byte) text.charAt(i);
    }
    scratch[n++] = '|';
    for (int i = 0; i < audience.length(); i++) {
      scratch[n++] = (byte) audience.charAt(i);
    }
    scratch[n++] = ':';
    for (int i = 0; i < keyId.length(); i++) {
      scratch[n++] = (byte) keyId.charAt(i);
    }
    return mac.doFinal(scratch);
  }
}
