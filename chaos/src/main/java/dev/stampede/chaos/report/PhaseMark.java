package dev.stampede.chaos.report;

/**
 * The start of a phase of a run.
 *
 * @param name {@code start-up}, {@code calibration}, {@code seed}, {@code ramp}, {@code steady}, {@code storm}
 * @param startS seconds after t0 (negative before the trigger)
 */
public record PhaseMark(String name, double startS) {
}
