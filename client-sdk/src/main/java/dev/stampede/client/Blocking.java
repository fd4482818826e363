package dev.stampede.client;

import io.grpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for a call on the caller's thread and rethrows its failure as it is. */
final class Blocking {
  private Blocking() {
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw Status.INTERNAL.withCause(cause).asRuntimeException();
    } catch (CancellationException e) {
      throw Status.CANCELLED.withDescription("cancelled").withCause(e).asRuntimeException();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting").withCause(e).asRuntimeException();
    }
  }
}
