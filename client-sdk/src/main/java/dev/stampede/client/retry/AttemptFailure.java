package dev.stampede.client.retry;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Objects;

/**
 * One failed attempt of a call, as a {@link RetryPolicy} sees it.
 *
 * @param status the status the attempt closed with (never OK)
 * @param trailers its trailers (empty when the transport failed before the server answered)
 * @param attempt 1 for the first attempt of the call, 2 for the first retry, ...
 * @param pushback the delay the server asked for, read from the trailers
 * @param reachedServer whether the attempt left the client on a connection; false when it failed while waiting
 *     for one (its deadline passed, or the channel had no connection and the call did not wait for one)
 */
public record AttemptFailure(Status status, Metadata trailers, int attempt, Pushback pushback,
    boolean reachedServer) {

  /** @throws IllegalArgumentException if {@code status} is OK or {@code attempt < 1} */
  public AttemptFailure {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trailers, "trailers");
    Objects.requireNonNull(pushback, "pushback");
    if (status.isOk()) {
      throw new IllegalArgumentException("status: OK (expected: a failure)");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 1)");
    }
  }

  /** Reads the pushback from the trailers. */
  public static AttemptFailure of(Status status, Metadata trailers, int attempt, boolean reachedServer) {
    Metadata t = trailers == null ? new Metadata() : trailers;
    return new AttemptFailure(status, t, attempt, Pushback.from(status, t), reachedServer);
  }

  /** The status code. */
  public Status.Code code() {
    return status.getCode();
  }
}
