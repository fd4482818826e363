package dev.stampede.client.connect;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How the connect flow reads a failure: its code, and whether another round could fix it. Stateless. */
final class Failures {
  private Failures() {
  }

  static Status.Code code(Throwable error) {
    return error instanceof StatusRuntimeException ? ((StatusRuntimeException) error).getStatus().getCode()
        : Status.Code.UNKNOWN;
  }

  /**
   * The failure to stop with, or null when another round may succeed.
   *
   * @param clientClosed whether the client under the connection is closed (CANCELLED is then final)
   */
  static Throwable terminalCause(Throwable error, boolean clientClosed) {
    if (error instanceof Terminal) {
      return error.getCause();
    }
    if (!(error instanceof StatusRuntimeException)) {
      return error;
    }
    switch (code(error)) {
      case INVALID_ARGUMENT:
      case PERMISSION_DENIED:
      case UNIMPLEMENTED:
        return error;
      case CANCELLED:
        return clientClosed ? error : null;
      default:
        return null;
    }
  }

  static StatusRuntimeException cancelled(String why) {
    return Status.CANCELLED.withDescription(why).asRuntimeException();
  }

  /** Marks a failure that retrying cannot fix (wrong password, no credentials). */
  static final class Terminal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Terminal(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
