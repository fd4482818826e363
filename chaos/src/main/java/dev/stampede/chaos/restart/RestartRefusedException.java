package dev.stampede.chaos.restart;

/**
 * A plan refused before anything was touched: a forbidden namespace, the max-fraction guard, no matching
 * targets, or an action the engine does not support.
 */
public class RestartRefusedException extends RestartException {
  private static final long serialVersionUID = 1L;

  /** A refusal with a one-line reason. */
  public RestartRefusedException(String message) {
    super(message);
  }
}
