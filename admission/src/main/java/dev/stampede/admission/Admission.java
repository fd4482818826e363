package dev.stampede.admission;

import dev.stampede.admission.calendar.ClusterRetryCalendar;
import dev.stampede.admission.calendar.LocalRetryCalendar;
import dev.stampede.admission.calendar.RetryCalendar;
import dev.stampede.admission.calendar.ThroughputMeter;
import dev.stampede.admission.executor.WorkerPool;
import dev.stampede.admission.grpc.AdmissionInterceptor;
import dev.stampede.admission.grpc.CallDispatcher;
import dev.stampede.admission.grpc.ErrorMapper;
import dev.stampede.admission.grpc.RetryBookings;
import dev.stampede.admission.limit.AdaptiveLimit;
import dev.stampede.admission.limit.LimitAlgorithm;
import dev.stampede.admission.metrics.AdmissionMetrics;
import dev.stampede.admission.queue.AdmissionController;
import dev.stampede.admission.redis.SharedRedis;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Admission control for one gRPC server (one service): everything built from one {@link AdmissionConfig} and one
 * {@link MethodPolicies}. Plain Java code constructs it with {@link #builder}; Quarkus apps get it as a CDI bean
 * ({@code dev.stampede.admission.quarkus}).
 *
 * <ul>
 *   <li>{@link #interceptor()}: the {@link ServerInterceptor} to install first in the chain;</li>
 *   <li>{@link #newWorkerPool}: a worker pool whose queue is protected (bounded, deadline-aware) — or naive when
 *       admission is off;</li>
 *   <li>{@link #errors()}: the one place failures become gRPC statuses, with the overload answer;</li>
 *   <li>{@link #calendar()}: the retry calendar delays come from.</li>
 * </ul>
 *
 * <p>With {@link AdmissionConfig#enabled()} false the server is the naive baseline: the interceptor passes every call
 * through, pools are unbounded FIFOs without deadline checks, and overload answers carry no pushback.
 *
 * <p>Thread-safe. {@link #close()} refuses queued calls with {@code DRAINING} and stops the sweeper.
 */
public final class Admission implements AutoCloseable {
  /**
   * The latency the retry calendar assumes before the first completion, and the slowest it believes during the
   * first {@link #WARM_UP_COMPLETIONS}: 100 ms.
   */
  static final double UNMEASURED_LATENCY_NANOS = 100_000_000;
  /** Completions after which a process' measured latency is taken as it is. */
  static final long WARM_UP_COMPLETIONS = 500;
  private static final ServerInterceptor PASS_THROUGH = new ServerInterceptor() {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(call, headers);
    }
  };

  private final String service;
  private final AdmissionConfig config;
  private final MethodPolicies policies;
  private final AdmissionMetrics metrics;
  private final LongSupplier ticker;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final AdmissionController calls;
  private final AdmissionController streams;
  private final RetryCalendar calendar;
  /** The calendar of this replica's own capacity: it books held calls, and refusals when there is no shared one. */
  private final LocalRetryCalendar localCalendar;
  private final ErrorMapper errors;
  private final ServerInterceptor interceptor;

  private Admission(Builder b) {
    this.service = b.service;
    this.config = b.config;
    this.policies = b.policies;
    this.metrics = new AdmissionMetrics(b.registry, service);
    this.ticker = b.ticker;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : newScheduler(service);
    if (config.enabled()) {
      this.calls = AdmissionController.builder(AdaptiveLimit.create(config.algorithm(), config.initialLimit(),
              config.minLimit(), config.maxLimit(), config.vegasProbeMultiplier()))
          .shares(config.shares())
          .queueCapacity(config.queueCapacity())
          .queueTime(config.queueTime())
          .ticker(ticker)
          .scheduler(scheduler)
          // A held call is served here, so it books this replica's calendar, even when refusals book a shared one.
          .hold(this::bookHeld)
          .build();
      this.streams = AdmissionController.builder(AdaptiveLimit.create(LimitAlgorithm.FIXED, config.maxStreams(),
              config.maxStreams(), config.maxStreams()))
          .shares(config.shares())
          .queueCapacity(0)
          .ticker(ticker)
          .build();
    } else {
      this.calls = null;
      this.streams = null;
    }
    LocalRetryCalendar local = localCalendar(calls);
    this.localCalendar = local;
    this.calendar = config.enabled() && config.clusterCalendar() && b.redis != null
        ? new ClusterRetryCalendar(b.redis, service, local, local, config.clusterCalendarTimeout())
        : local;
    RetryBookings bookings = config.enabled() && config.retryBookings()
        ? new RetryBookings(ticker, config.calendarSlot(), RetryBookings.DEFAULT_VALIDITY)
        : null;
    this.errors = new ErrorMapper(service, config.enabled(), calendar, config.dependencyRetryDelay().toMillis(),
        bookings);
    this.interceptor = config.enabled()
        ? new AdmissionInterceptor(calls, streams, policies, metrics, calendar, errors, b.dispatcher)
        : PASS_THROUGH;
    metrics.bind(config.enabled(), calls, streams, config.enabled() ? calendar : null);
  }

  /** A builder for the admission control of {@code service} (used in metrics and error details). */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  public String service() {
    return service;
  }

  public AdmissionConfig config() {
    return config;
  }

  public boolean enabled() {
    return config.enabled();
  }

  public MethodPolicies policies() {
    return policies;
  }

  /** The interceptor to install outermost; a pass-through when admission is off. */
  public ServerInterceptor interceptor() {
    return interceptor;
  }

  /** The failure-to-status mapping of this server (with pushback only when admission is on). */
  public ErrorMapper errors() {
    return errors;
  }

  /** The retry calendar of this server (the shared one when configured and Redis is given). */
  public RetryCalendar calendar() {
    return calendar;
  }

  /** The controller of unary calls; null when admission is off. */
  public AdmissionController calls() {
    return calls;
  }

  /** The controller of streaming calls; null when admission is off. */
  public AdmissionController streams() {
    return streams;
  }

  public AdmissionMetrics metrics() {
    return metrics;
  }

  public LongSupplier ticker() {
    return ticker;
  }

  /**
   * A worker pool of {@code threads} threads named {@code name}: protected (a queue of {@code queueCapacity},
   * the configured queue-time policy, deadline checks, its own retry calendar) when admission is on, naive
   * (unbounded FIFO) when it is off.
   */
  public WorkerPool newWorkerPool(String name, int threads, int queueCapacity) {
    if (!config.enabled()) {
      return WorkerPool.naive(name, threads, metrics);
    }
    return WorkerPool.bounded(name, threads, queueCapacity, config.queueTime(),
        controller -> localCalendar(controller), metrics, ticker, scheduler, Priority.SHEDDABLE);
  }

  /** {@link #newWorkerPool(String, int, int)} with a queue of {@code 4 × threads}. */
  public WorkerPool newWorkerPool(String name, int threads) {
    return newWorkerPool(name, threads, 4 * threads);
  }

  @Override
  public void close() {
    if (calls != null) {
      calls.rejectQueued(RejectReason.DRAINING);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** Books the retry slot of a held call (the controller's {@code HoldBook}). */
  private long bookHeld(long maxNanos) {
    return localCalendar.bookWithinNanos(maxNanos);
  }

  private LocalRetryCalendar localCalendar(AdmissionController controller) {
    return LocalRetryCalendar.builder(capacity(controller))
        .slot(config.calendarSlot())
        .horizon(config.calendarHorizon())
        .minDelay(config.calendarMinDelay())
        .share(config.calendarShare())
        .minRate(config.calendarMinRate())
        .ticker(ticker)
        .build();
  }

  /**
   * The throughput a calendar's budget follows: the larger of the completions per second over the last second and
   * Little's law on the limit and the mean latency of the last second; before the first completion, Little's law on
   * an assumed latency.
   */
  private DoubleSupplier capacity(AdmissionController controller) {
    if (controller == null) {
      return () -> 0;
    }
    ThroughputMeter meter = controller.throughput();
    return () -> {
      long now = ticker.getAsLong();
      return capacity(meter.ratePerSecond(now), calendarLatency(meter, now), controller.limit());
    };
  }

  /**
   * The latency the calendar's capacity is computed from: the last second's mean, but during a process' first
   * {@link #WARM_UP_COMPLETIONS} never slower than {@link #UNMEASURED_LATENCY_NANOS}. A process that just started
   * serves its first calls cold (tens of times slower than a few seconds later), and bookings made on those numbers
   * would outlast them by far: a restarted pod would spread its returning clients at 10-20/s for half a minute.
   */
  static double calendarLatency(ThroughputMeter meter, long nowNanos) {
    double latency = meter.recentRttNanos(nowNanos);
    if (meter.completed() < WARM_UP_COMPLETIONS && latency > 0) {
      return Math.min(latency, UNMEASURED_LATENCY_NANOS);
    }
    return latency;
  }

  /**
   * What a server can complete per second: what it completed, or what its limit allows at its latency, whichever is
   * more. Completions alone measure the demand, not the capacity: while the calendar itself spreads returning clients
   * out, the server completes what the calendar let through, and a budget of {@code share} times that shrinks every
   * second — after a restart, a burst of clients was spread at a fraction of what the server could serve. At its
   * limit a server completes limit ÷ latency per second (Little's law).
   *
   * <p>Before anything completed (a pod that has just started) the latency is unknown, and the calendar's minimum
   * rate would be a guess far too low: the clients waiting for the pod arrive together, are refused while it warms
   * up, and would all be booked at the minimum rate — hundreds of clients spread over tens of seconds by a server
   * that can serve them in one. A wrong guess costs little the other way: a client booked too early is refused
   * again, cheaply, and booked again by then on measured numbers. So the guess is optimistic: each permit turns over
   * once per {@link #UNMEASURED_LATENCY_NANOS}.
   *
   * @param measuredPerSecond completions over the last second
   * @param meanRttNanos mean latency of recent completions (the last second's), 0 before the first
   * @param limit the concurrency limit
   */
  static double capacity(double measuredPerSecond, double meanRttNanos, int limit) {
    double latency = meanRttNanos > 0 ? meanRttNanos : UNMEASURED_LATENCY_NANOS;
    return Math.max(measuredPerSecond, limit * 1e9 / latency);
  }

  private static ScheduledExecutorService newScheduler(String service) {
    ScheduledThreadPoolExecutor s = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "stampede-admission-" + service);
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  @Override
  public String toString() {
    return "Admission[" + service + " " + config + "]";
  }

  /** Builds an {@link Admission}. Not thread-safe. */
  public static final class Builder {
    private final String service;
    private AdmissionConfig config = AdmissionConfig.defaults();
    private MethodPolicies policies = MethodPolicies.empty();
    private MeterRegistry registry;
    private LongSupplier ticker = System::nanoTime;
    private ScheduledExecutorService scheduler;
    private CallDispatcher dispatcher = CallDispatcher.DIRECT;
    private SharedRedis redis;

    private Builder(String service) {
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("service: '" + service + "' (expected: a non-blank name)");
      }
      this.service = service;
    }

    public Builder config(AdmissionConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public Builder policies(MethodPolicies policies) {
      this.policies = Objects.requireNonNull(policies, "policies");
      return this;
    }

    /** Where meters go; default a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** The clock in nanoseconds; default {@link System#nanoTime()}. */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Runs the queue sweepers; default a private daemon thread, stopped by {@link Admission#close()}. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** Where queued calls are started; default on the admitting thread ({@link CallDispatcher#DIRECT}). */
    public Builder dispatcher(CallDispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
      return this;
    }

    /** The shared Redis connection, needed only for the cluster-wide retry calendar. */
    public Builder redis(SharedRedis redis) {
      this.redis = redis;
      return this;
    }

    public Admission build() {
      if (registry == null) {
        registry = new SimpleMeterRegistry();
      }
      return new Admission(this);
    }
  }
}
