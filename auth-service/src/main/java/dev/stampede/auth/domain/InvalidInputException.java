package dev.stampede.auth.domain;

/**
 * A request field broke the contract. The gRPC edge answers {@code INVALID_ARGUMENT} with this message, which names
 * the field and what was expected ({@code "username: 65 bytes (expected: 1..64 bytes UTF-8 after normalisation)"})
 * and never echoes secrets.
 */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
