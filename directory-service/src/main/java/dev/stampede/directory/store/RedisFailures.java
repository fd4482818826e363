package dev.stampede.directory.store;

import dev.stampede.directory.domain.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts what Lettuce throws into "Redis is not available" ({@link StoreUnavailableException}: not connected,
 * timed out, loading, busy, out of memory, a read-only replica) and everything else, which is a bug of ours
 * (a script error) and passes through to become {@code INTERNAL}.
 */
public final class RedisFailures {
  private static final String[] TRANSIENT_REPLIES = {
      "LOADING", "BUSY", "MASTERDOWN", "READONLY", "OOM", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS",
  };

  private RedisFailures() {
  }

  /** The exception to complete a request with. */
  public static Throwable translate(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StoreUnavailableException) {
      return t;
    }
    if (t instanceof RedisCommandExecutionException) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      for (String reply : TRANSIENT_REPLIES) {
        if (message.startsWith(reply)) {
          return new StoreUnavailableException("Redis: " + reply, t);
        }
      }
      return t;
    }
    if (t instanceof RedisException || t instanceof IOException) {
      return new StoreUnavailableException("Redis: " + t.getClass().getSimpleName(), t);
    }
    return t;
  }
}
