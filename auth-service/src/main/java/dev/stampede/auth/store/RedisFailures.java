package dev.stampede.auth.store;

import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.auth.domain.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Turns Redis client failures into domain failures: anything that means "Redis is not there or not ready" becomes
 * {@link StoreUnavailableException} (answered {@code UNAVAILABLE} with pushback); a command Redis refused for
 * another reason (a script bug, a wrong type) is a bug and stays as it is ({@code INTERNAL}).
 */
final class RedisFailures {
  private RedisFailures() {
  }

  /** Wraps a stage so that its failure is translated. */
  static <T> CompletionStage<T> translated(CompletionStage<T> stage) {
    return stage.handle((value, error) -> {
      if (error != null) {
        throw translate(error);
      }
      return value;
    });
  }

  /** The domain failure for a client failure. */
  static RuntimeException translate(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof StoreUnavailableException) {
      return (StoreUnavailableException) e;
    }
    if (e instanceof OverloadException
        && ((OverloadException) e).reason() == RejectReason.DEPENDENCY_UNAVAILABLE) {
      return new StoreUnavailableException("redis: not connected", e); // the shared connection is not up
    }
    if (e instanceof RedisCommandExecutionException) {
      String message = String.valueOf(e.getMessage());
      // Redis is up but cannot serve now: loading its AOF after a restart, busy with a script, out of memory, ...
      for (String transient_ : new String[] {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "OOM", "READONLY",
          "CLUSTERDOWN"}) {
        if (message.startsWith(transient_)) {
          return new StoreUnavailableException("redis: " + transient_, e);
        }
      }
      return new IllegalStateException("redis refused a command: " + message, e);
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new StoreUnavailableException("redis: command timed out", e);
    }
    if (e instanceof RedisConnectionException || e instanceof RedisCommandInterruptedException
        || e instanceof RedisException || e instanceof java.io.IOException) {
      // RedisException covers "Currently not connected. Commands are rejected." and "Request queue size exceeded".
      return new StoreUnavailableException("redis: " + e.getMessage(), e);
    }
    return e instanceof RuntimeException ? (RuntimeException) e : new CompletionException(e);
  }
}
