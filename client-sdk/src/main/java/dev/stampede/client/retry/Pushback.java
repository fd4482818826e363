package dev.stampede.client.retry;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The earliest time a server allows the next attempt, read from a failed call's trailers.
 *
 * <p>Stampede servers send the delay twice (errors.proto, "Overload answers"): as {@code google.rpc.RetryInfo} in
 * {@code grpc-status-details-bin} and as the {@code grpc-retry-pushback-ms} trailer. When both are present the
 * later one wins, so a client never comes back earlier than either says. Following gRPC A6, a
 * {@code grpc-retry-pushback-ms} that is negative or not a decimal integer means "do not retry"
 * ({@link #isStop()}). Immutable and thread-safe.
 */
public final class Pushback {
  /** The trailer of gRPC A6, decimal milliseconds. */
  public static final Metadata.Key<String> PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The booking of the retry slot a server named (errors.proto): sent back as a request header on the retry, it
   * makes the server keep the appointment rather than refuse the call again.
   */
  public static final Metadata.Key<String> RETRY_BOOKING =
      Metadata.Key.of("stampede-retry-booking", Metadata.ASCII_STRING_MARSHALLER);
  /** Longer bookings are not echoed (a server sends about 25 characters). */
  static final int MAX_BOOKING_LENGTH = 64;

  private static final Pushback NONE = new Pushback(-1, false);
  private static final Pushback STOP = new Pushback(-1, true);

  private final long delayNanos;
  private final boolean stop;

  private Pushback(long delayNanos, boolean stop) {
    this.delayNanos = delayNanos;
    this.stop = stop;
  }

  /** No delay was given. */
  public static Pushback none() {
    return NONE;
  }

  /** A delay of {@code delayNanos} (≥ 0). */
  public static Pushback after(long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos: " + delayNanos + " (expected: >= 0)");
    }
    return new Pushback(delayNanos, false);
  }

  /**
   * Reads the pushback of a failed call. Never throws: unreadable details count as absent.
   *
   * @param status the status the call closed with
   * @param trailers its trailers (may be null)
   */
  public static Pushback from(Status status, Metadata trailers) {
    if (trailers == null) {
      return NONE;
    }
    long fromTrailer = -1;
    String raw = trailers.get(PUSHBACK_MS);
    if (raw != null) {
      try {
        fromTrailer = Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        return STOP;
      }
      if (fromTrailer < 0) {
        return STOP;
      }
      fromTrailer = TimeUnit.MILLISECONDS.toNanos(fromTrailer);
    }
    long fromRetryInfo = retryInfoNanos(status, trailers);
    long delay = Math.max(fromTrailer, fromRetryInfo);
    return delay < 0 ? NONE : new Pushback(delay, false);
  }

  /**
   * The retry booking in a failed call's trailers, or null when there is none or it is not a short token of
   * printable ASCII (nothing else is ever echoed to a server). Never throws.
   */
  public static String booking(Metadata trailers) {
    if (trailers == null) {
      return null;
    }
    String token;
    try {
      token = trailers.get(RETRY_BOOKING);
    } catch (RuntimeException e) {
      return null;
    }
    return isBooking(token) ? token : null;
  }

  /** Whether {@code token} may be a retry booking: 1 to 64 characters of printable ASCII without spaces. */
  public static boolean isBooking(String token) {
    return token != null && !token.isEmpty() && token.length() <= MAX_BOOKING_LENGTH
        && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static long retryInfoNanos(Status status, Metadata trailers) {
    com.google.rpc.Status details;
    try {
      details = StatusProto.fromStatusAndTrailers(status, trailers);
    } catch (RuntimeException e) {
      return -1;
    }
    if (details == null) {
      return -1;
    }
    for (Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          if (d.getSeconds() < 0 || d.getNanos() < 0) {
            return -1;
          }
          return TimeUnit.SECONDS.toNanos(d.getSeconds()) + d.getNanos();
        } catch (InvalidProtocolBufferException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Whether the server gave a delay. */
  public boolean isPresent() {
    return delayNanos >= 0;
  }

  /** Whether the server said not to retry at all. */
  public boolean isStop() {
    return stop;
  }

  /** The delay in nanoseconds, or -1 when absent. */
  public long delayNanos() {
    return delayNanos;
  }

  /** The delay, or null when absent. */
  public Duration delay() {
    return delayNanos < 0 ? null : Duration.ofNanos(delayNanos);
  }

  @Override
  public String toString() {
    return stop ? "Pushback{stop}" : delayNanos < 0 ? "Pushback{none}" : "Pushback{" + delay() + "}";
  }
}
