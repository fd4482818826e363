package dev.stampede.chaos.runner;

/**
 * The engine asked for cannot run in this build or on this machine: a service jar is not built, no cluster is
 * reachable. The message says what is missing and how to get it, in one line.
 */
public final class EngineUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is missing */
  public EngineUnavailableException(String message) {
    super(message);
  }
}
