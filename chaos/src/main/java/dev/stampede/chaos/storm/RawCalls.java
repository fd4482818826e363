package dev.stampede.chaos.storm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Single RPC attempts with a deadline and nothing else — no retries, no pushback handling, no wait-for-ready —
 * for clients whose profile brings its own (bad) retry behaviour, such as {@link ClientProfile.Skype2007}. Each
 * virtual client has its own connection, which {@link #reconnect(int)} replaces, as a rebooted machine would.
 *
 * <p>Implementations are thread-safe and never throw: every failure is a completed {@link Reply}.
 */
public interface RawCalls {

  /** A session as a log-in hands it out. */
  record Grant(String userId, String sessionToken, String resumeTicket) {
  }

  /** A presence lease. */
  record Lease(String leaseId, Duration ttl) {
  }

  /** {@code AuthService.Login}. */
  CompletableFuture<Reply<Grant>> login(int client, String username, String password, String deviceId,
      Duration deadline);

  /** {@code DirectoryService.Register}. */
  CompletableFuture<Reply<Lease>> register(int client, String sessionToken, Duration deadline);

  /** {@code DirectoryService.Heartbeat}. */
  CompletableFuture<Reply<Void>> heartbeat(int client, String sessionToken, String leaseId, Duration deadline);

  /** Drops the client's connection; the next call opens a new one. */
  void reconnect(int client);
}
