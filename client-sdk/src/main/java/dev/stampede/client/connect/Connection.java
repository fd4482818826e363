package dev.stampede.client.connect;

import dev.stampede.client.StampedeClient;
import dev.stampede.client.watch.PresenceWatch;
import dev.stampede.client.watch.WatchListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One user on one device, kept online: the connect flow of DESIGN §1 on top of a shared {@link StampedeClient}.
 *
 * <ol>
 *   <li><b>Resume first.</b> A stored ticket is exchanged with {@code Resume} (microseconds of server work). Only
 *       when the server says the ticket is invalid ({@code UNAUTHENTICATED}) does the connection log in with the
 *       password; overload and outages never turn into a password log-in. Every grant's rotated ticket is saved
 *       to the {@link dev.stampede.client.credentials.CredentialStore}, so a rebooted client resumes.
 *   <li><b>Presence.</b> Registers with the directory, heartbeats at a fraction of the lease TTL (with jitter),
 *       re-registers when the lease is gone ({@code NOT_FOUND}), and re-authenticates when the token is refused.
 *   <li><b>Session refresh.</b> Resumes again before the session token expires.
 *   <li><b>Waiting.</b> Calls wait for a connection while the servers are down and leave within the reconnect
 *       cap once one is back; after a server's answer, rounds back off with full jitter and never return earlier
 *       than the server asked.
 * </ol>
 *
 * <p>States and their changes go to {@link ConnectionListener}s. A connection holds no thread: it runs on the
 * client's timers and call callbacks, serialised per connection, so tens of thousands can share one client.
 * Thread-safe.
 */
public final class Connection implements AutoCloseable {
  private final ConnectFlow flow;

  private Connection(ConnectFlow flow) {
    this.flow = flow;
  }

  /**
   * A connection that is not connected yet; call {@link #connect()}.
   *
   * @throws IllegalStateException if the client has no auth or no directory target, or is closed
   */
  public static Connection create(StampedeClient client, ConnectOptions options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(options, "options");
    client.auth();
    client.directory();
    if (client.isClosed()) {
      throw new IllegalStateException("client closed");
    }
    return new Connection(new ConnectFlow(client, options));
  }

  /**
   * Starts connecting (after the random start-up delay, if configured) and keeps the connection online until
   * {@link #disconnect()}, {@link #logout()}, {@link #close()} or a failure retrying cannot fix. Idempotent while
   * connecting or online.
   *
   * @return completes with the session when the connection is next ONLINE; fails with the cause when it stops
   *     (a {@link dev.stampede.client.CallFailedException} with {@code UNAUTHENTICATED} for a wrong password or no
   *     password and no valid ticket, {@code INVALID_ARGUMENT}, {@code PERMISSION_DENIED}), or with
   *     {@code CANCELLED} when disconnected or closed first
   */
  public CompletableFuture<Session> connect() {
    return flow.connect();
  }

  /**
   * Stops heartbeats and refreshes, withdraws presence (one attempt, best effort) and goes OFFLINE. The ticket
   * stays stored: the next {@link #connect()} resumes.
   */
  public CompletableFuture<Void> disconnect() {
    return flow.disconnect();
  }

  /** Disconnects, ends the session on the server ({@code Logout}) and forgets the stored ticket. */
  public CompletableFuture<Void> logout() {
    return flow.logout();
  }

  /**
   * Abandons the connection at once, without a call to any server — what a crash or a reboot does. The stored
   * ticket stays (a ticket rotated by a call still in flight is saved when its answer arrives). Idempotent; a
   * closed connection cannot connect again.
   */
  @Override
  public void close() {
    flow.close();
  }

  /** The current state. */
  public ConnectionState state() {
    return flow.state();
  }

  /** The current session, if one was obtained (its lease is null until registered). */
  public Optional<Session> session() {
    return Optional.ofNullable(flow.snapshot());
  }

  /** Adds a listener; it receives changes from now on. */
  public void addListener(ConnectionListener listener) {
    flow.addListener(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(ConnectionListener listener) {
    flow.removeListener(listener);
  }

  /**
   * Watches the presence of up to 100 users with this connection's session token (the newest one at every
   * re-subscription). The watch ends when it is closed or this connection is closed.
   *
   * @throws IllegalArgumentException if {@code userIds} breaks the contract's limits
   */
  public PresenceWatch watch(List<String> userIds, WatchListener listener) {
    return flow.watch(userIds, listener);
  }

  public ConnectOptions options() {
    return flow.options();
  }

  @Override
  public String toString() {
    return "Connection{device=" + flow.options().deviceId() + ", state=" + state() + "}";
  }
}
