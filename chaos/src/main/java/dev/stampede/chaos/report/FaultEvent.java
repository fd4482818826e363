package dev.stampede.chaos.report;

import java.time.Instant;

/**
 * One entry of the fault journal in a report: what a restart engine did or saw, and when relative to t0.
 *
 * @param tS seconds after t0 (negative before the trigger)
 * @param at the wall-clock time
 * @param engine {@code local} or {@code kubernetes}
 * @param type the event type ({@code kill}, {@code ready}, {@code replica-start}, ...)
 * @param name the pod, replica or workload, or {@code null}
 * @param outcome {@code ok}, {@code failed}, ... or {@code null}
 * @param message a short detail
 */
public record FaultEvent(double tS, Instant at, String engine, String type, String name, String outcome,
    String message) {
}
