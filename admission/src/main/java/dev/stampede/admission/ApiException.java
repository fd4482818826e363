package dev.stampede.admission;

import io.grpc.Status;
import java.util.Objects;

/**
 * A domain failure with the status code and client-visible message the service chose, e.g.
 * {@code ApiException.invalidArgument("username", "65 bytes (expected: 1..64 bytes UTF-8)")}. {@code ErrorMapper}
 * turns it into that status with a {@code google.rpc.ErrorInfo} when a reason is given. Overload and dependency
 * failures are not {@code ApiException}s: they are {@link OverloadException}s, which carry pushback. The message is
 * sent to the client: never put secrets or internal names in it. No stack trace (an answer, not a bug).
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String reason;

  /**
   * @param reason a {@code stampede.common.v1.ErrorReason} name (e.g. {@code "TICKET_INVALID"}), or null
   * @throws IllegalArgumentException for {@code OK}, {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}
   */
  public ApiException(Status.Code code, String reason, String message) {
    super(message, null, false, false);
    Objects.requireNonNull(code, "code");
    if (code == Status.Code.OK || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE) {
      throw new IllegalArgumentException(
          "code: " + code + " (expected: an error other than RESOURCE_EXHAUSTED/UNAVAILABLE; use OverloadException)");
    }
    this.code = code;
    this.reason = reason;
  }

  /** {@code INVALID_ARGUMENT} with the message {@code "<field>: <problem>"}. */
  public static ApiException invalidArgument(String field, String problem) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, null, field + ": " + problem);
  }

  public static ApiException unauthenticated(String reason, String message) {
    return new ApiException(Status.Code.UNAUTHENTICATED, reason, message);
  }

  public static ApiException permissionDenied(String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, null, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(Status.Code.NOT_FOUND, null, message);
  }

  public static ApiException alreadyExists(String message) {
    return new ApiException(Status.Code.ALREADY_EXISTS, null, message);
  }

  public Status.Code code() {
    return code;
  }

  /** The {@code ErrorReason} name, or null. */
  public String reason() {
    return reason;
  }
}
