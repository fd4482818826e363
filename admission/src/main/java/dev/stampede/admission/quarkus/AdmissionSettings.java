package dev.stampede.admission.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * {@code stampede.admission.*}: the configuration of admission control in a Quarkus app. Every key, its default and
 * its meaning is listed in {@code admission/README.md}; defaults equal {@code AdmissionConfig}'s constants.
 */
@ConfigMapping(prefix = "stampede.admission")
public interface AdmissionSettings {

  /** Admission on (default) or off — off is the naive baseline (env {@code STAMPEDE_ADMISSION_ENABLED}). */
  @WithDefault("true")
  boolean enabled();

  /** The service name in metrics and error details; default {@code quarkus.application.name}. */
  Optional<String> service();

  /** The adaptive concurrency limit. */
  Limit limit();

  /** The admission queue. */
  Queue queue();

  /** Per-priority settings of CRITICAL. */
  PrioritySettings critical();

  /** Per-priority settings of RESUME. */
  PrioritySettings resume();

  /** Per-priority settings of LOGIN. */
  PrioritySettings login();

  /** Per-priority settings of SHEDDABLE. */
  PrioritySettings sheddable();

  /** Streaming calls. */
  Streams streams();

  /** The retry calendar. */
  Calendar calendar();

  /** The shortest pushback when Redis is down. */
  @WithDefault("1s")
  Duration dependencyRetryDelay();

  /** How long a budget decision waits for Redis before deciding locally. */
  @WithDefault("50ms")
  Duration budgetTimeout();

  /**
   * Priority of methods not listed: {@code critical|resume|login|sheddable}; when absent, the {@code MethodPolicies}
   * bean's default ({@code sheddable} unless it says otherwise).
   */
  Optional<String> defaultPriority();

  /**
   * Method policies that override the app's {@code MethodPolicies} bean:
   * {@code stampede.admission.methods."pkg.Service/Method"=login}; values are a priority, {@code bypass}, or a
   * priority followed by {@code ,no-latency-signal}.
   */
  Map<String, String> methods();

  /** {@code stampede.admission.limit.*}. */
  interface Limit {
    /** {@code vegas} (default), {@code gradient2} or {@code fixed}. */
    @WithDefault("vegas")
    String algorithm();

    /** Starting limit; the limit itself for {@code fixed}. */
    @WithDefault("20")
    int initial();

    @WithDefault("1")
    int min();

    @WithDefault("1000")
    int max();

    /** Vegas re-measures its no-load RTT every {@code multiplier × limit} samples; 0 = never. */
    @WithDefault("0")
    int vegasProbeMultiplier();
  }

  /** {@code stampede.admission.queue.*}. */
  interface Queue {
    /** Calls that may wait, across priorities; 0 = never queue. */
    @WithDefault("1000")
    int capacity();

    /** CoDel target: queue time allowed while overloaded. */
    @WithDefault("5ms")
    Duration target();

    /** CoDel interval: how long the queue must stay non-empty to count as overload. */
    @WithDefault("100ms")
    Duration interval();

    /** Queue time allowed when not overloaded (per priority: {@code <priority>.max-queue-time}). */
    @WithDefault("100ms")
    Duration maxTime();

    /** Serve the newest call first while overloaded. */
    @WithDefault("true")
    boolean lifo();

    /** Queue time allowed to a call that came back with a due retry booking. */
    @WithDefault("2s")
    Duration bookedMaxTime();
  }

  /** {@code stampede.admission.<priority>.*}. */
  interface PrioritySettings {
    /** Share of the limit reserved for this priority and higher ones (defaults 0.1, 0.2, 0.1, 0). */
    OptionalDouble reservedShare();

    /** Queue time allowed for this priority when not overloaded (default {@code queue.max-time}). */
    Optional<Duration> maxQueueTime();

    /**
     * How far ahead a retry slot may lie for a call of this priority to be held instead of refused (default 0:
     * never; see {@code QueueTimePolicy#holdMaxNanos}).
     */
    Optional<Duration> holdMaxTime();

    /**
     * At most this many calls of this priority in flight at once, whatever the limit (default: no cap; see
     * {@code PriorityShares#withMaxInflight}).
     */
    OptionalInt maxInflight();
  }

  /** {@code stampede.admission.streams.*}. */
  interface Streams {
    /** Streams open at once; each holds a permit for its whole life. */
    @WithDefault("10000")
    int maxConcurrent();
  }

  /** {@code stampede.admission.calendar.*}. */
  interface Calendar {
    @WithDefault("100ms")
    Duration slot();

    @WithDefault("60s")
    Duration horizon();

    /** The shortest delay handed out (default one slot). */
    Optional<Duration> minDelay();

    /** Fraction of the measured throughput promised to returning clients. */
    @WithDefault("0.9")
    double share();

    /** Throughput (per second) assumed before any is measured. */
    @WithDefault("10")
    double minRate();

    /** Share the calendar with the other replicas through Redis. */
    @WithDefault("false")
    boolean cluster();

    /** How long a shared booking may take before the local calendar answers. */
    @WithDefault("20ms")
    Duration clusterTimeout();

    /** Refusals carry a signed booking of their slot; calls that bring it back when due are served first. */
    @WithDefault("true")
    boolean bookings();
  }
}
