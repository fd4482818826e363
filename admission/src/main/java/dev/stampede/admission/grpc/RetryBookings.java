package dev.stampede.admission.grpc;

import io.grpc.Metadata;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tickets of the virtual waiting room. A refusal that names a delay also carries a booking (the
 * {@code stampede-retry-booking} trailer): the time the client is due back, signed by this server. A client that
 * waited and sends it back as a request header on its retry is honoured: its call waits in the booked lane of its
 * priority — ahead of calls that hold no booking, and for up to {@code queue.booked-max-time} instead of the CoDel
 * target — rather than being refused a second time because the server turned out slower than its calendar assumed
 * (a pod that has just started, whose JIT is still cold). A booking never raises a call's priority.
 *
 * <p>A booking is honoured from one slot before it is due until {@code validity} after; earlier, later, forged or
 * unreadable ones are ignored (the call is treated like any other). The key is random per process, so only the pod
 * that refused the call honours its booking; a replayed booking buys at most a longer wait in its own priority's
 * queue until it expires. Tokens are ASCII: the due time in the server's clock (base-36 milliseconds), a dot and 16
 * hex digits of HMAC-SHA256. Thread-safe.
 */
public final class RetryBookings {
  /** Trailer of refusals and header of the retries that present it. */
  public static final Metadata.Key<String> KEY =
      Metadata.Key.of("stampede-retry-booking", Metadata.ASCII_STRING_MARSHALLER);
  /** How long after it is due a booking is still honoured. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofSeconds(10);
  /** Longer tokens are not even parsed. */
  static final int MAX_LENGTH = 40;
  private static final int MAC_HEX = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SecretKeySpec key;
  private final LongSupplier ticker;
  private final long earlyNanos;
  private final long validityNanos;
  private final ThreadLocal<Mac> macs;

  /**
   * @param ticker the clock the due times are read on (the admission controller's)
   * @param early how long before it is due a booking is already honoured (one calendar slot: the client's jitter
   *     lies inside it)
   * @param validity how long after it is due a booking is still honoured
   */
  public RetryBookings(LongSupplier ticker, Duration early, Duration validity) {
    this(ticker, early, validity, randomKey());
  }

  RetryBookings(LongSupplier ticker, Duration early, Duration validity, byte[] key) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.earlyNanos = early.toNanos();
    this.validityNanos = validity.toNanos();
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** A booking for a client told to come back in {@code delayMillis}. */
  public String issue(long delayMillis) {
    long dueMillis = Math.floorDiv(ticker.getAsLong(), 1_000_000L) + Math.max(0, delayMillis);
    String due = Long.toString(dueMillis, 36);
    return due + '.' + sign(due);
  }

  /** Whether {@code token} (may be null or anything a client sent) is a valid booking that is due now. */
  public boolean honoured(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || token.length() - dot - 1 != MAC_HEX) {
      return false;
    }
    String due = token.substring(0, dot);
    long dueMillis;
    try {
      dueMillis = Long.parseLong(due, 36);
    } catch (NumberFormatException e) {
      return false;
    }
    if (!constantTimeEquals(sign(due), token, dot + 1)) {
      return false;
    }
    long now = ticker.getAsLong();
    long dueNanos = dueMillis * 1_000_000L;
    return now >= dueNanos - earlyNanos && now - dueNanos <= validityNanos;
  }

  private String sign(String due) {
    Mac mac = macs.get();
    byte[] digest = mac.doFinal(due.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    char[] out = new char[MAC_HEX];
    for (int i = 0; i < MAC_HEX / 2; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  private static boolean constantTimeEquals(String expected, String token, int offset) {
    int diff = 0;
    for (int i = 0; i < expected.length(); i++) {
      diff |= expected.charAt(i) ^ token.charAt(offset + i);
    }
    return diff == 0;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Override
  public String toString() {
    return "RetryBookings[early=" + earlyNanos / 1_000_000 + "ms validity=" + validityNanos / 1_000_000 + "ms]";
  }
}
