package dev.stampede.client.micrometer;

import dev.stampede.client.connect.ConnectionListener;
import dev.stampede.client.connect.ConnectionState;
import dev.stampede.client.observe.AttemptEvent;
import dev.stampede.client.observe.CallEvent;
import dev.stampede.client.observe.ClientEventListener;
import dev.stampede.client.observe.LocalRejectionEvent;
import dev.stampede.client.observe.ReconnectEvent;
import dev.stampede.client.observe.RetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client metrics in Micrometer: register it as the client's event listener and bind it to a registry; add it as a
 * {@link ConnectionListener} to connections to count them by state.
 *
 * <pre>{@code
 * MicrometerClientMetrics metrics = new MicrometerClientMetrics();
 * metrics.bindTo(registry);
 * StampedeClient client = StampedeClient.builder().eventListener(metrics)...build();
 * }</pre>
 *
 * <p>Meters (Prometheus names): {@code stampede_client_attempts_total{service,method,code}},
 * {@code stampede_client_attempt_seconds{service,method}}, {@code stampede_client_retries_total{service,method,reason}}
 * (reason {@code backoff} or {@code pushback}), {@code stampede_client_retry_wait_seconds{service,reason}},
 * {@code stampede_client_local_rejections_total{service,method,reason}} (reason {@code throttled} or
 * {@code budget_exhausted}), {@code stampede_client_calls_total{service,method,code}},
 * {@code stampede_client_reconnect_kicks_total} and {@code stampede_client_connections{state}} (state
 * {@code connecting} or {@code online}).
 *
 * <p>Events that arrive before {@link #bindTo} are not counted. Thread-safe.
 */
public final class MicrometerClientMetrics implements ClientEventListener, ConnectionListener, MeterBinder {
  private final Map<ConnectionState, AtomicLong> connections = new EnumMap<>(ConnectionState.class);
  private volatile MeterRegistry registry;

  public MicrometerClientMetrics() {
    connections.put(ConnectionState.CONNECTING, new AtomicLong());
    connections.put(ConnectionState.ONLINE, new AtomicLong());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (Map.Entry<ConnectionState, AtomicLong> entry : connections.entrySet()) {
      Gauge.builder("stampede.client.connections", entry.getValue(), AtomicLong::get)
          .description("Connections connecting or online (of those this binder listens to)")
          .tag("state", entry.getKey().name().toLowerCase(java.util.Locale.ROOT))
          .register(registry);
    }
    this.registry = registry;
  }

  @Override
  public void onAttempt(AttemptEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter.builder("stampede.client.attempts")
        .description("Attempts that ended, by status code")
        .tags("service", e.service(), "method", e.method(), "code", e.code().name())
        .register(r).increment();
    Timer.builder("stampede.client.attempt")
        .description("Attempt latency, including any wait for a connection")
        .tags("service", e.service(), "method", e.method())
        .register(r).record(e.latencyNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onRetryScheduled(RetryEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    String reason = e.pushback() ? "pushback" : "backoff";
    Counter.builder("stampede.client.retries")
        .description("Retries scheduled")
        .tags("service", e.service(), "method", e.method(), "reason", reason)
        .register(r).increment();
    DistributionSummary.builder("stampede.client.retry.wait")
        .description("Waits before retries")
        .baseUnit("seconds")
        .tags("service", e.service(), "reason", reason)
        .register(r).record(e.delayNanos() / 1e9);
  }

  @Override
  public void onLocalRejection(LocalRejectionEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter.builder("stampede.client.local.rejections")
        .description("Attempts the client did not send because of its own limits")
        .tags("service", e.service(), "method", e.method(), "reason",
            e.reason().name().toLowerCase(java.util.Locale.ROOT))
        .register(r).increment();
  }

  @Override
  public void onCallFinished(CallEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter.builder("stampede.client.calls")
        .description("Calls (all attempts) that ended, by final status code")
        .tags("service", e.service(), "method", e.method(), "code", e.code().name())
        .register(r).increment();
  }

  @Override
  public void onReconnectKick(ReconnectEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter.builder("stampede.client.reconnect.kicks")
        .description("Reconnects the pacer brought forward")
        .register(r).increment();
  }

  @Override
  public void onStateChanged(ConnectionState from, ConnectionState to, Throwable cause) {
    // Offline connections are not counted: a connection nobody connected never reports, so that count would lie.
    if (from != ConnectionState.OFFLINE) {
      connections.get(from).decrementAndGet();
    }
    if (to != ConnectionState.OFFLINE) {
      connections.get(to).incrementAndGet();
    }
  }
}
