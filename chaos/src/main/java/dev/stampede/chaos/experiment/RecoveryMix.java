package dev.stampede.chaos.experiment;

import java.util.Locale;

/**
 * The request mix of one client coming back: an auth RPC (a password log-in or a resume) followed by a presence
 * registration. The calibration phase measures how many of these the system completes per second (C).
 */
public enum RecoveryMix {
  /** {@code Login} + {@code Register}: tens of milliseconds of password hashing per client. */
  LOGIN,
  /** {@code Resume} + {@code Register}: microseconds of server CPU per client. */
  RESUME;

  /** The spelling in files and JSON: {@code login}, {@code resume}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
