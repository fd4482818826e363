package dev.stampede.chaos.runner;

/**
 * A run that could not reach or finish its storm: calibration measured nothing, seeding was refused, the ramp
 * stalled. The message says which phase and why, in one line for the terminal.
 */
public final class RunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message phase and reason, e.g. {@code ramp: stalled at 120 of 500 clients online for 60 s} */
  public RunFailedException(String message) {
    super(message);
  }
}
