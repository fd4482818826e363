package dev.stampede.client.connect;

/** Where a {@link Connection} stands. */
public enum ConnectionState {
  /** Not trying: never connected, disconnected, closed, or stopped by a failure retrying cannot fix. */
  OFFLINE,
  /** Obtaining a session and registering presence (first connect, or after the session or lease was lost). */
  CONNECTING,
  /** Session obtained and presence registered; heartbeats keep the lease. */
  ONLINE
}
