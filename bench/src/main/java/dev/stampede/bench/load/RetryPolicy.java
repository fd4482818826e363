package dev.stampede.bench.load;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;

/**
 * What a client does after a failed attempt: give up, retry at once (the 2007 client), or retry after the delay the
 * server asked for ({@code grpc-retry-pushback-ms}). Immutable.
 */
public final class RetryPolicy {
  static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms",
      Metadata.ASCII_STRING_MARSHALLER);

  /** Never retry. */
  public static final RetryPolicy NONE = new RetryPolicy(Kind.NONE, 1, Duration.ZERO);

  private enum Kind { NONE, IMMEDIATE, PUSHBACK }

  /**
   * A client like the Stampede SDK: a refused call waits the server's pushback (100 ms without one) before it tries
   * again. A closed loop of such clients measures what a protected server admits; one that retried at once would
   * measure how fast it refuses (a loop of 64 Resume calls against auth: 3.6 refusals per success, 0.34 of the
   * anchor; obeying pushback: 0.05 refusals per success, 0.54).
   */
  public static final RetryPolicy SDK = new RetryPolicy(Kind.PUSHBACK, 100, Duration.ofMillis(100));

  private final Kind kind;
  private final int maxAttempts;
  private final long fallbackNanos;

  private RetryPolicy(Kind kind, int maxAttempts, Duration fallback) {
    this.kind = kind;
    this.maxAttempts = maxAttempts;
    this.fallbackNanos = fallback.toNanos();
  }

  /** Retries every failure at once, up to {@code maxAttempts} attempts in all. */
  public static RetryPolicy immediate(int maxAttempts) {
    return new RetryPolicy(Kind.IMMEDIATE, check(maxAttempts), Duration.ZERO);
  }

  /**
   * Retries {@code RESOURCE_EXHAUSTED} and {@code UNAVAILABLE} after the server's pushback (or {@code fallback}
   * without one) and {@code DEADLINE_EXCEEDED} after {@code fallback}; never anything else; up to
   * {@code maxAttempts} attempts in all.
   */
  public static RetryPolicy obeyPushback(int maxAttempts, Duration fallback) {
    return new RetryPolicy(Kind.PUSHBACK, check(maxAttempts), Objects.requireNonNull(fallback, "fallback"));
  }

  /**
   * The delay before the next attempt after {@code failure} of attempt number {@code attempt}.
   *
   * @return nanoseconds to wait (0 = at once), or -1 to give up
   */
  public long delayNanos(Throwable failure, int attempt) {
    if (kind == Kind.NONE || attempt >= maxAttempts) {
      return -1;
    }
    if (kind == Kind.IMMEDIATE) {
      return 0;
    }
    Status status = Status.fromThrowable(failure);
    switch (status.getCode()) {
      case RESOURCE_EXHAUSTED:
      case UNAVAILABLE:
        Metadata trailers = Status.trailersFromThrowable(failure);
        String pushback = trailers == null ? null : trailers.get(PUSHBACK);
        if (pushback != null) {
          try {
            long ms = Long.parseLong(pushback.trim());
            return ms < 0 ? -1 : ms * 1_000_000;
          } catch (NumberFormatException e) {
            return fallbackNanos;
          }
        }
        return fallbackNanos;
      case DEADLINE_EXCEEDED:
        return fallbackNanos;
      default:
        return -1;
    }
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  private static int check(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
    }
    return maxAttempts;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " x" + maxAttempts;
  }
}
