package dev.stampede.chaos.timeline;

import java.util.Locale;

/** How one RPC attempt ended, as the timeline counts it. */
public enum Outcome {
  /** OK. */
  SUCCESS,
  /** An overload answer with a retry delay ({@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE} with pushback). */
  REJECTED,
  /** The caller's deadline passed ({@code DEADLINE_EXCEEDED}). */
  TIMEOUT,
  /** No server answered: connection refused or reset ({@code UNAVAILABLE} without pushback). */
  UNREACHABLE,
  /** Any other failure. */
  ERROR;

  /** The spelling in JSON: {@code success}, {@code rejected}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this counts as an error in the timeline (not a success, not a polite rejection). */
  public boolean isError() {
    return this == TIMEOUT || this == UNREACHABLE || this == ERROR;
  }
}
