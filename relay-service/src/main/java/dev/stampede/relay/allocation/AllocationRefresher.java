package dev.stampede.relay.allocation;

import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.forward.Session;
import dev.stampede.relay.forward.Sessions;
import dev.stampede.relay.store.AllocationStore;
import dev.stampede.relay.store.AllocationStore.Presence;
import dev.stampede.relay.store.Keys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps allocations in use alive: every {@link RelaySettings#refreshInterval()} the holding pod extends each
 * allocation with a connected stream (and its entries in the pod's and the owner's sets). An allocation found
 * released (on another pod) or expired has its streams ended with {@code ABORTED}. Thread-safe; run by a timer.
 */
public final class AllocationRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationRefresher.class);

  private final String pod;
  private final RelaySettings settings;
  private final AllocationStore store;
  private final Sessions sessions;
  private final DrainState drain;
  private final Clock clock;

  public AllocationRefresher(String pod, RelaySettings settings, AllocationStore store, Sessions sessions,
      DrainState drain, Clock clock) {
    this.pod = pod;
    this.settings = settings;
    this.store = store;
    this.sessions = sessions;
    this.drain = drain;
    this.clock = clock;
  }

  /** One round; completes when every allocation was looked at. Never fails (errors are logged and retried). */
  public CompletionStage<Void> refresh() {
    if (drain.isDraining()) {
      return CompletableFuture.completedFuture(null);
    }
    long now = clock.millis();
    long expires = now + settings.allocationTtl().toMillis();
    long keyTtl = settings.allocationTtl().toMillis() * 2;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Session s : sessions.all()) {
      if (!s.isLive()) {
        continue;
      }
      String id = s.allocationId();
      all.add(store.touch(id, pod, now, expires, keyTtl).thenCompose(t -> {
        if (t.presence() == Presence.GONE) {
          s.end(RelayException.of(RelayException.Kind.ENDED, "allocation released or expired"));
          return CompletableFuture.<Void>completedFuture(null);
        }
        if (t.presence() == Presence.ELSEWHERE) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        return store.extend(Keys.podAllocations(pod), id, expires, keyTtl)
            .thenCompose(v -> store.extend(Keys.userAllocations(t.owner()), id, expires, keyTtl));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      if (e != null) {
        LOG.warn("refreshing allocations failed (retried next round): {}", e.getMessage());
      }
      return null;
    });
  }
}
