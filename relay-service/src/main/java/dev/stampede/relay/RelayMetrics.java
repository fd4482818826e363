package dev.stampede.relay;

import dev.stampede.relay.allocation.DrainState;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.drain.DrainReport;
import dev.stampede.relay.forward.BandwidthLimiter;
import dev.stampede.relay.forward.ForwardingStats;
import dev.stampede.relay.forward.Sessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The relay's metrics (Prometheus names after export):
 *
 * <pre>
 * stampede_relay_forwarded_bytes_total           payload bytes handed to receivers
 * stampede_relay_frames_forwarded_total          frames handed to receivers
 * stampede_relay_active_streams                  joined Connect streams
 * stampede_relay_sessions                        allocations with a joined stream on this pod
 * stampede_relay_buffered_bytes                  bytes queued in the relay, all streams (payload + per-frame overhead)
 * stampede_relay_stream_buffered_max_bytes       the largest queue of one direction of one stream right now
 * stampede_relay_stream_memory_bound_bytes       most the relay may hold for one direction of one stream (queue,
 *                                                transport window, grpc-java's outbound allowance), from settings
 * stampede_relay_allocations_total{result}       Allocate outcomes: ok, capacity_exhausted, budget_exhausted, ...
 * stampede_relay_joins_total{result}             joins: ok, join_token_invalid, not_a_party, wrong_pod, ...
 * stampede_relay_drain_moved_total               allocations moved to another pod by a drain
 * stampede_relay_drain_unmovable_total           allocations a drain could not move
 * stampede_relay_draining                        1 while this pod drains
 * stampede_relay_bandwidth_saturated             1 while the pod forwards at its bytes/s limit
 * </pre>
 *
 * Thread-safe.
 */
public final class RelayMetrics {
  private final Counter allocationsOk;
  private final Map<RelayException.Kind, Counter> allocationsFailed = new EnumMap<>(RelayException.Kind.class);
  private final Counter joinsOk;
  private final Map<RelayException.Kind, Counter> joinsFailed = new EnumMap<>(RelayException.Kind.class);
  private final Counter moved;
  private final Counter unmovable;

  public RelayMetrics(MeterRegistry registry, RelaySettings settings, Sessions sessions, BandwidthLimiter limiter,
      DrainState drain) {
    ForwardingStats stats = sessions.stats();
    FunctionCounter.builder("stampede.relay.forwarded", stats, ForwardingStats::bytesForwarded)
        .baseUnit("bytes").description("Payload bytes handed to receivers").register(registry);
    FunctionCounter.builder("stampede.relay.frames.forwarded", stats, ForwardingStats::framesForwarded)
        .description("Frames handed to receivers").register(registry);
    Gauge.builder("stampede.relay.active.streams", stats, ForwardingStats::activeStreams)
        .description("Joined Connect streams").register(registry);
    Gauge.builder("stampede.relay.sessions", sessions, Sessions::size)
        .description("Allocations with a joined stream on this pod").register(registry);
    Gauge.builder("stampede.relay.buffered", stats, ForwardingStats::bufferedBytes)
        .baseUnit("bytes").description("Bytes queued in the relay, all streams").register(registry);
    Gauge.builder("stampede.relay.stream.buffered.max", sessions, Sessions::largestBuffer)
        .baseUnit("bytes").description("Largest queue of one direction of one stream").register(registry);
    long bound = settings.streamMemoryBound();
    Gauge.builder("stampede.relay.stream.memory.bound", () -> bound)
        .baseUnit("bytes").description("Most the relay may hold for one direction of one stream, all layers")
        .register(registry);
    Gauge.builder("stampede.relay.draining", drain, d -> d.isDraining() ? 1 : 0)
        .description("1 while this pod drains").register(registry);
    Gauge.builder("stampede.relay.bandwidth.saturated", limiter, l -> l.isSaturated() ? 1 : 0)
        .description("1 while the pod forwards at its bytes/s limit").register(registry);
    allocationsOk = Counter.builder("stampede.relay.allocations").tag("result", "ok").register(registry);
    joinsOk = Counter.builder("stampede.relay.joins").tag("result", "ok").register(registry);
    for (RelayException.Kind kind : RelayException.Kind.values()) {
      String label = kind.name().toLowerCase(Locale.ROOT);
      allocationsFailed.put(kind, Counter.builder("stampede.relay.allocations").tag("result", label)
          .register(registry));
      joinsFailed.put(kind, Counter.builder("stampede.relay.joins").tag("result", label).register(registry));
    }
    moved = Counter.builder("stampede.relay.drain.moved").description("Allocations moved by a drain")
        .register(registry);
    unmovable = Counter.builder("stampede.relay.drain.unmovable")
        .description("Allocations a drain could not move").register(registry);
  }

  /** Counts one Allocate outcome (null: OK). */
  public void allocation(Throwable failure) {
    count(failure, allocationsOk, allocationsFailed);
  }

  /** Counts one join outcome (null: OK). */
  public void join(Throwable failure) {
    count(failure, joinsOk, joinsFailed);
  }

  /** Counts what a drain did. */
  public void drained(DrainReport report) {
    moved.increment(report.moved());
    unmovable.increment(report.unmovable());
  }

  private static void count(Throwable failure, Counter ok, Map<RelayException.Kind, Counter> failed) {
    if (failure == null) {
      ok.increment();
      return;
    }
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    failed.get(t instanceof RelayException r ? r.kind() : RelayException.Kind.INTERNAL).increment();
  }
}
