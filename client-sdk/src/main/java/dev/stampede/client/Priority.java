package dev.stampede.client;

/**
 * Request priorities of the error model (errors.proto, "Request metadata"). The server decides each method's
 * priority; a client may only lower it with the {@code stampede-priority} header (a higher value is ignored).
 */
public enum Priority {
  CRITICAL("critical"),
  RESUME("resume"),
  LOGIN("login"),
  SHEDDABLE("sheddable");

  private final String headerValue;

  Priority(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value sent in {@code stampede-priority}. */
  public String headerValue() {
    return headerValue;
  }
}
