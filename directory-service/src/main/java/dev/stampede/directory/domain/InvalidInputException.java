package dev.stampede.directory.domain;

/**
 * A request field broke the contract of {@code directory.proto}. The gRPC edge answers {@code INVALID_ARGUMENT} with
 * this message, which names the field and what was expected ({@code "endpoints[3].port: 0 (expected: 1..65535)"})
 * and never echoes a token.
 */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
