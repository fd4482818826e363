package dev.stampede.relay.drain;

import com.google.protobuf.Timestamp;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.relay.allocation.DrainState;
import dev.stampede.relay.allocation.PodMembership;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.Ids;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.RelayException.Kind;
import dev.stampede.relay.domain.Role;
import dev.stampede.relay.forward.Session;
import dev.stampede.relay.forward.Sessions;
import dev.stampede.relay.store.AllocationStore;
import dev.stampede.relay.store.AllocationStore.Presence;
import dev.stampede.relay.store.AllocationStore.TokenGrant;
import dev.stampede.relay.store.Keys;
import dev.stampede.relay.store.PodRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves this pod's allocations onto other pods when it shuts down, and closes what is left after the grace period.
 *
 * <ol>
 *   <li>The pod stops taking allocations and joins (readiness turns false) and leaves the pod registry.</li>
 *   <li>Every allocation it holds is re-homed, keeping its id, onto the least loaded live pod that has room
 *       (reserved there first, then moved atomically); each connected side gets a {@code Draining} message naming
 *       the new pod and a rejoin token for itself alone. A peer that has not joined yet keeps its join token, which
 *       now works on the new pod. Allocations no pod can take are released and their streams end with
 *       {@code UNAVAILABLE} (reason {@code DRAINING}): allocate again.</li>
 *   <li>Frames keep flowing on the old streams while the sides move; the drain waits until every side has left
 *       or the grace period has passed, then ends the remaining streams with {@code UNAVAILABLE}.</li>
 * </ol>
 *
 * <p>Thread-safe; {@link #drain(Duration)} blocks its caller (the shutdown thread) and runs once.
 */
public final class Drainer {
  private static final Logger LOG = LoggerFactory.getLogger(Drainer.class);
  private static final long STORE_WAIT_MS = 3_000;

  private final String pod;
  private final RelaySettings settings;
  private final AllocationStore store;
  private final PodRegistry registry;
  private final PodMembership membership;
  private final Sessions sessions;
  private final DrainState drain;
  private final Ids ids;
  private final Clock clock;
  private final LongSupplier nanoTime;

  public Drainer(String pod, RelaySettings settings, AllocationStore store, PodRegistry registry,
      PodMembership membership, Sessions sessions, DrainState drain, Ids ids, Clock clock, LongSupplier nanoTime) {
    this.pod = pod;
    this.settings = settings;
    this.store = store;
    this.registry = registry;
    this.membership = membership;
    this.sessions = sessions;
    this.drain = drain;
    this.ids = ids;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** Drains this pod, waiting at most {@code grace} for sides to move; returns what happened. */
  public DrainReport drain(Duration grace) {
    long started = nanoTime.getAsLong();
    long deadline = started + grace.toNanos();
    if (!drain.start()) {
      return new DrainReport(0, 0, 0, 0, Duration.ZERO);
    }
    await(membership.leave());
    Counters counters = new Counters();
    Set<String> handled = new LinkedHashSet<>();
    // A join admitted just before the flag was set may attach a little later: a second pass catches it.
    for (int pass = 0; pass < 2; pass++) {
      Set<String> todo = new LinkedHashSet<>();
      if (pass == 0) {
        List<String> held = await(store.podAllocations(pod, clock.millis()));
        if (held != null) {
          todo.addAll(held);
        }
      }
      for (Session s : sessions.all()) {
        todo.add(s.allocationId());
      }
      todo.removeAll(handled);
      if (todo.isEmpty()) {
        break;
      }
      handled.addAll(todo);
      moveAll(todo, counters, deadline);
    }
    while (sessions.size() > 0 && nanoTime.getAsLong() < deadline) {
      sleepMillis(10);
    }
    int cut = 0;
    for (Session s : sessions.all()) {
      for (Role r : Role.values()) {
        cut += s.isConnected(r) ? 1 : 0;
      }
      s.end(RelayException.overloaded(Kind.DRAINING, "relay pod shut down"));
    }
    DrainReport report = new DrainReport(counters.moved.get(), counters.unmovable.get(), counters.told.get(), cut,
        Duration.ofNanos(nanoTime.getAsLong() - started));
    LOG.info("drained relay pod {}: {}", pod, report);
    return report;
  }

  private void moveAll(Set<String> allocationIds, Counters counters, long deadline) {
    long now = clock.millis();
    List<String> live = await(registry.livePods(now));
    Map<String, Long> load = new HashMap<>();
    if (live != null) {
      for (String candidate : live) {
        if (!candidate.equals(pod)) {
          Long n = await(store.podLoad(candidate, now));
          if (n != null) {
            load.put(candidate, n);
          }
        }
      }
    }
    List<CompletableFuture<Void>> moves = new ArrayList<>();
    for (String id : allocationIds) {
      moves.add(moveOne(id, candidates(load), 0, load, counters).toCompletableFuture());
    }
    long waitMs = Math.max(STORE_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong()));
    try {
      CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).get(waitMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("moving allocations off {} did not finish: {}", pod, e.toString());
    }
  }

  /** Pods by ascending load, least loaded first; each pick raises the pod's load so moves spread out. */
  private static List<String> candidates(Map<String, Long> load) {
    synchronized (load) {
      List<String> order = new ArrayList<>(load.keySet());
      order.sort((a, b) -> Long.compare(load.get(a), load.get(b)));
      if (!order.isEmpty()) {
        load.merge(order.get(0), 1L, Long::sum);
      }
      return order;
    }
  }

  private CompletionStage<Void> moveOne(String id, List<String> targets, int index, Map<String, Long> load,
      Counters counters) {
    Session session = sessions.get(id);
    if (index >= targets.size()) {
      return unmovable(id, session, counters);
    }
    String target = targets.get(index);
    long now = clock.millis();
    long expires = now + settings.allocationTtl().toMillis();
    long keyTtl = settings.allocationTtl().toMillis() * 2;
    long tokenExpires = now + settings.joinTokenTtl().toMillis();
    Map<Role, String> tokens = new EnumMap<>(Role.class);
    List<TokenGrant> grants = new ArrayList<>();
    if (session != null) {
      for (Role r : Role.values()) {
        if (session.isConnected(r)) {
          String token = ids.newJoinToken();
          tokens.put(r, token);
          grants.add(new TokenGrant(Ids.tokenHash(token), session.userOf(r), tokenExpires));
        }
      }
    }
    String targetKey = Keys.podAllocations(target);
    return store.reserve(targetKey, id, now, expires, settings.maxAllocations(), keyTtl)
        .thenCompose(reservation -> {
          if (!reservation.reserved()) {
            return moveOne(id, targets, index + 1, load, counters);
          }
          return store.move(id, pod, target, now, expires, keyTtl, grants).thenCompose(t -> {
            if (t.presence() != Presence.HELD) {
              // Released, expired, or not ours after all: give the place back.
              if (session != null && t.presence() == Presence.GONE) {
                session.end(RelayException.of(Kind.ENDED, "allocation released or expired"));
              }
              return store.unreserve(targetKey, id);
            }
            counters.moved.incrementAndGet();
            if (session != null) {
              for (Map.Entry<Role, String> e : tokens.entrySet()) {
                Draining draining = Draining.newBuilder()
                    .setAllocationId(id)
                    .setRelayAddress(target)
                    .setRejoinToken(e.getValue())
                    .setRejoinTokenExpiresAt(Timestamp.newBuilder().setSeconds(tokenExpires / 1000)
                        .setNanos((int) (tokenExpires % 1000) * 1_000_000))
                    .build();
                if (session.sendDraining(e.getKey(), draining)) {
                  counters.told.incrementAndGet();
                }
              }
            }
            return store.unreserve(Keys.podAllocations(pod), id);
          });
        })
        .exceptionally(e -> {
          LOG.warn("moving allocation {} off {} failed: {}", id, pod, e.toString());
          if (session != null) {
            session.end(RelayException.overloaded(Kind.DRAINING, "relay pod is draining and could not move the "
                + "allocation: allocate again"));
          }
          return null;
        });
  }

  private CompletionStage<Void> unmovable(String id, Session session, Counters counters) {
    counters.unmovable.incrementAndGet();
    if (session != null) {
      session.end(RelayException.overloaded(Kind.DRAINING,
          "relay pod is draining and no other pod can take the allocation: allocate again"));
    }
    return store.release(id, "").thenCompose(r -> r.owner() == null
        ? CompletableFuture.<Void>completedFuture(null)
        : store.unreserve(Keys.podAllocations(pod), id)
            .thenCompose(v -> store.unreserve(Keys.userAllocations(r.owner()), id)));
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(STORE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      LOG.warn("relay store call during drain failed: {}", e.toString());
      return null;
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Counters {
    final AtomicInteger moved = new AtomicInteger();
    final AtomicInteger unmovable = new AtomicInteger();
    final AtomicInteger told = new AtomicInteger();
  }
}
