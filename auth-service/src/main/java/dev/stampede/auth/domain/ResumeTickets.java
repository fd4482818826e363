package dev.stampede.auth.domain;

import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues and reads resume tickets (DESIGN §5):
 *
 * <pre>
 *   r1.&lt;userId&gt;.&lt;sessionId&gt;.&lt;nonce&gt;.&lt;kid&gt;.&lt;mac&gt;
 *   nonce = base64url(24 random bytes);  mac = base64url(HMAC-SHA256(auth key kid, "r1.…&lt;kid&gt;"))
 * </pre>
 *
 * <p>The random nonce makes the ticket a secret; Redis stores only its SHA-256 ({@link Issued#hash}), so a copy of
 * the database resumes nobody. The user and session ids route the ticket to its family's key (the user's hash
 * tag) without a lookup. The MAC, made with the {@code auth} key ring, is <em>not</em> what authenticates a
 * ticket — the stored hash does — but it tells an authentic, already rotated ticket (re-use: revoke the family,
 * RFC 9700 §4.14.2) from a forged one (refuse, revoke nothing), so knowing someone's user and session id is not
 * enough to log them out. A ticket whose key id has left the ring is still accepted when its hash is current; it
 * just cannot prove re-use. So retiring an old {@code auth} key never logs anyone out.
 *
 * <p>Thread-safe.
 */
public final class ResumeTickets {
  private static final String VERSION = "r1";
  private static final int NONCE_BYTES = 24;
  private static final int NONCE_CHARS = 32;
  private static final int MAC_CHARS = 43;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Whether a presented ticket's MAC proves that auth issued it. */
  public enum Authenticity {
    /** The MAC matches: auth issued this ticket. */
    AUTHENTIC,
    /** The MAC's key id is no longer in the ring: cannot tell. */
    UNVERIFIABLE,
    /** The MAC does not match. */
    FORGED
  }

  /** A freshly issued ticket and the hash stored for it. */
  public record Issued(String ticket, String hash) {
    @Override
    public String toString() {
      return "Issued[secret]";
    }
  }

  /** A ticket as presented, with what can be learnt from it without the store. */
  public record Presented(String userId, String sessionId, String hash, Authenticity authenticity) {
  }

  private final KeyRing authRing;
  private final SecureRandom random;

  public ResumeTickets(KeyRing authRing, SecureRandom random) {
    this.authRing = authRing;
    this.random = random;
  }

  /** Issues a new ticket of session {@code sessionId}, MAC'd with the current {@code auth} key. */
  public Issued issue(String userId, String sessionId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    String kid = authRing.currentKeyId();
    String signed = VERSION + "." + userId + "." + sessionId + "." + B64.encodeToString(nonce) + "." + kid;
    String ticket = signed + "." + B64.encodeToString(authRing.mac(kid, signed.getBytes(StandardCharsets.US_ASCII)));
    return new Issued(ticket, hash(ticket));
  }

  /**
   * Reads a presented ticket.
   *
   * @throws AuthFailure with reason {@code TICKET_INVALID} when it is not a well-formed version-1 ticket
   */
  public Presented read(String ticket) {
    String[] parts = ticket.split("\\.", -1);
    if (parts.length != 6 || !VERSION.equals(parts[0]) || !SessionClaims.isWordId(parts[1])
        || !SessionClaims.isWordId(parts[2]) || parts[3].length() != NONCE_CHARS || !isBase64Url(parts[3])
        || !SessionClaims.isWordId(parts[4]) || parts[5].length() != MAC_CHARS || !isBase64Url(parts[5])) {
      throw new AuthFailure(AuthFailure.Reason.TICKET_INVALID);
    }
    String signed = ticket.substring(0, ticket.length() - MAC_CHARS - 1);
    byte[] mac = authRing.mac(parts[4], signed.getBytes(StandardCharsets.US_ASCII));
    Authenticity authenticity;
    if (mac == null) {
      authenticity = Authenticity.UNVERIFIABLE;
    } else {
      byte[] expected = B64.encodeToString(mac).getBytes(StandardCharsets.US_ASCII);
      authenticity = MessageDigest.isEqual(expected, parts[5].getBytes(StandardCharsets.US_ASCII))
          ? Authenticity.AUTHENTIC : Authenticity.FORGED;
    }
    return new Presented(parts[1], parts[2], hash(ticket), authenticity);
  }

  /** base64url(SHA-256(ticket)): what the store keeps instead of the ticket. */
  static String hash(String ticket) {
    try {
      return B64.encodeToString(
          MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static boolean isBase64Url(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
