package dev.stampede.chaos.restart;

/**
 * A restart that could not be carried out. The message is one readable line meant for an operator (no stack
 * trace needed to understand it). Subclasses say why: {@link RestartRefusedException} (a guard rail or the plan
 * itself), {@link ClusterAccessException} (the cluster could not be reached or refused the request).
 */
public class RestartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line message. */
  public RestartException(String message) {
    super(message);
  }

  /** An exception with a one-line message and its cause. */
  public RestartException(String message, Throwable cause) {
    super(message, cause);
  }
}
