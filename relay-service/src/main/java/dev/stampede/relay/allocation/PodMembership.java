package dev.stampede.relay.allocation;

import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.store.PodRegistry;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * This pod's lease in the pod registry, renewed every third of {@link RelaySettings#registryLease()}. A renewal that
 * succeeded recently is also the pod's evidence that Redis is reachable (readiness). A draining pod stops renewing
 * and leaves. Thread-safe.
 */
public final class PodMembership {
  private final String pod;
  private final RelaySettings settings;
  private final PodRegistry registry;
  private final DrainState drain;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private volatile long lastSuccessNanos;
  private volatile boolean everSucceeded;

  public PodMembership(String pod, RelaySettings settings, PodRegistry registry, DrainState drain, Clock clock,
      LongSupplier nanoTime) {
    this.pod = pod;
    this.settings = settings;
    this.registry = registry;
    this.drain = drain;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** Renews the lease (a no-op while draining). Never fails; the outcome feeds {@link #isRedisReachable()}. */
  public CompletionStage<Void> heartbeat() {
    if (drain.isDraining()) {
      return CompletableFuture.completedFuture(null);
    }
    long now = clock.millis();
    return registry.heartbeat(pod, now, now + settings.registryLease().toMillis()).handle((v, e) -> {
      if (e == null) {
        lastSuccessNanos = nanoTime.getAsLong();
        everSucceeded = true;
      }
      return null;
    });
  }

  /** Leaves the registry (best effort). */
  public CompletionStage<Void> leave() {
    return registry.leave(pod).handle((v, e) -> null);
  }

  /** Whether a heartbeat succeeded within the last two heartbeat periods. */
  public boolean isRedisReachable() {
    long window = settings.registryLease().toNanos() * 2 / 3;
    return everSucceeded && nanoTime.getAsLong() - lastSuccessNanos <= window;
  }

  /** How often to call {@link #heartbeat()}. */
  public long periodMillis() {
    return Math.max(100, settings.registryLease().toMillis() / 3);
  }
}
