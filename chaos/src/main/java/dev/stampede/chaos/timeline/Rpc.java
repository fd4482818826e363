package dev.stampede.chaos.timeline;

import java.util.Locale;

/** The RPCs a virtual client makes, as the timeline counts them. */
public enum Rpc {
  /** {@code AuthService.Login}: a password log-in. */
  LOGIN,
  /** {@code AuthService.Resume}: a resume with a ticket. */
  RESUME,
  /** {@code DirectoryService.Register}: presence registration. */
  REGISTER,
  /** {@code DirectoryService.Heartbeat}: lease renewal. */
  HEARTBEAT;

  /** The spelling in JSON and SLO names: {@code login}, {@code resume}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this is an auth RPC (log-in or resume): what attempts per client and goodput count. */
  public boolean isAuth() {
    return this == LOGIN || this == RESUME;
  }
}
