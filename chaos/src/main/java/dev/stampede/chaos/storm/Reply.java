package dev.stampede.chaos.storm;

import dev.stampede.chaos.timeline.Outcome;
import java.util.Objects;

/**
 * The answer to one RPC of a virtual client, already classified for the timeline.
 *
 * @param outcome how it ended
 * @param value the response on success, else {@code null}
 * @param pushbackMillis the retry delay the server asked for, or -1
 * @param code the gRPC status code name ({@code OK}, {@code RESOURCE_EXHAUSTED}, ...)
 * @param <T> the response type
 */
public record Reply<T>(Outcome outcome, T value, long pushbackMillis, String code) {

  /** Checks the fields. */
  public Reply {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(code, "code");
  }

  /** A success. */
  public static <T> Reply<T> ok(T value) {
    return new Reply<>(Outcome.SUCCESS, value, -1, "OK");
  }

  /** A failure. */
  public static <T> Reply<T> failed(Outcome outcome, String code, long pushbackMillis) {
    if (outcome == Outcome.SUCCESS) {
      throw new IllegalArgumentException("outcome: SUCCESS (expected: a failure)");
    }
    return new Reply<>(outcome, null, pushbackMillis, code);
  }

  /** Whether the RPC succeeded. */
  public boolean ok() {
    return outcome == Outcome.SUCCESS;
  }
}
