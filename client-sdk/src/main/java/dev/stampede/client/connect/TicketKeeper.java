package dev.stampede.client.connect;

import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.client.credentials.ResumeCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs one connection's credential store operations on the client's executor, one after another in the order they
 * were asked for: a rotated ticket is never overwritten by the ticket it replaced, and store I/O never runs on a
 * gRPC thread. A failed save is logged (never with the ticket) and leaves the in-memory ticket in use.
 */
final class TicketKeeper {
  private static final System.Logger LOG = System.getLogger(TicketKeeper.class.getName());

  private final CredentialStore store;
  private final Executor executor;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  TicketKeeper(CredentialStore store, Executor executor) {
    this.store = store;
    this.executor = executor;
  }

  CompletableFuture<Optional<ResumeCredentials>> load() {
    return enqueue(store::load, "load");
  }

  void save(ResumeCredentials credentials) {
    enqueue(() -> {
      store.save(credentials);
      return null;
    }, "save");
  }

  void clear() {
    enqueue(() -> {
      store.clear();
      return null;
    }, "clear");
  }

  /** Completes when every operation asked for so far has ended. */
  synchronized CompletableFuture<Void> flushed() {
    return tail.handle((v, e) -> null);
  }

  private synchronized <T> CompletableFuture<T> enqueue(StoreOperation<T> operation, String what) {
    CompletableFuture<T> result = tail.handle((v, e) -> null).thenApplyAsync(ignored -> {
      try {
        return operation.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
    result.whenComplete((v, e) -> {
      if (e != null) {
        LOG.log(System.Logger.Level.WARNING, "credential store " + what + " failed on " + store + ": "
            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      }
    });
    tail = result;
    return result;
  }

  @FunctionalInterface
  private interface StoreOperation<T> {
    T run() throws IOException;
  }
}
