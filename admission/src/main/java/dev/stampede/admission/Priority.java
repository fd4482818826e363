package dev.stampede.admission;

import java.util.Locale;

/**
 * Priority classes of work, highest first. The server decides each method's priority; a client may lower the
 * priority of its own call with the {@value #HEADER} request header, never raise it (DESIGN §3).
 *
 * <p>Under overload lower classes are shed first: admission never starts a call of a lower class while a call of a
 * higher class waits in the queue, and every class may hold a reserved share of the concurrency limit that lower
 * classes cannot use.
 */
public enum Priority {
  /** Work that keeps live sessions alive: heartbeats, token checks, relay frames of live calls. */
  CRITICAL,
  /** A returning client resuming its session with a ticket (microseconds of work). */
  RESUME,
  /** A full password log-in (tens of milliseconds of CPU). */
  LOGIN,
  /** Work that can wait: sign-up, lookups of strangers, watches. */
  SHEDDABLE;

  /** The request header with which a client lowers the priority of its call. */
  public static final String HEADER = "stampede-priority";

  private static final Priority[] VALUES = values();

  /** The header value naming this class: {@code "critical"}, {@code "resume"}, {@code "login"}, {@code "sheddable"}. */
  public String headerValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label used in metrics (the same as {@link #headerValue()}). */
  public String label() {
    return headerValue();
  }

  /** Whether this class is more important than {@code other}. */
  public boolean isHigherThan(Priority other) {
    return ordinal() < other.ordinal();
  }

  /**
   * The priority a call of this (server-decided) class runs at when the client asked for {@code requested}: the
   * requested class if it is lower, else this one. An unknown or missing value is ignored.
   */
  public Priority lowerTo(String requested) {
    if (requested == null) {
      return this;
    }
    Priority asked = parseOrNull(requested);
    return asked != null && asked.ordinal() > ordinal() ? asked : this;
  }

  /** The class at {@code ordinal} ({@code 0} = CRITICAL). */
  public static Priority ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  /**
   * Parses a header or configuration value, case-insensitively.
   *
   * @throws IllegalArgumentException if {@code value} names no class
   */
  public static Priority parse(String value) {
    Priority p = parseOrNull(value);
    if (p == null) {
      throw new IllegalArgumentException(
          "priority: '" + value + "' (expected one of critical, resume, login, sheddable)");
    }
    return p;
  }

  private static Priority parseOrNull(String value) {
    // Cheap for the four expected spellings; the header is read on every call.
    switch (value) {
      case "critical":
        return CRITICAL;
      case "resume":
        return RESUME;
      case "login":
        return LOGIN;
      case "sheddable":
        return SHEDDABLE;
      default:
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Priority p : VALUES) {
          if (p.headerValue().equals(v)) {
            return p;
          }
        }
        return null;
    }
  }
}
