package dev.stampede.admission.quarkus;

import dev.stampede.admission.Admission;
import dev.stampede.admission.AdmissionConfig;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.MethodPolicy;
import dev.stampede.admission.Priority;
import dev.stampede.admission.budget.Budgets;
import dev.stampede.admission.limit.LimitAlgorithm;
import dev.stampede.admission.limit.PriorityShares;
import dev.stampede.admission.queue.QueueTimePolicy;
import dev.stampede.admission.redis.SharedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import dev.stampede.admission.RejectReason;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDI producers of the admission beans of a Quarkus app: {@link Admission} (from {@link AdmissionSettings} and the
 * app's optional {@link MethodPolicies} bean), the shared {@link SharedRedis} connection (from
 * {@link RedisSettings}; connecting starts in the background and never fails the app) and {@link Budgets}.
 */
@Singleton
public class AdmissionProducers {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionProducers.class);

  @Produces
  @Singleton
  Admission admission(AdmissionSettings settings, Instance<MethodPolicies> declared,
      Instance<MeterRegistry> registries, Instance<SharedRedis> redis) {
    String service = settings.service().orElseGet(() -> ConfigProvider.getConfig()
        .getOptionalValue("quarkus.application.name", String.class).orElse("app"));
    MethodPolicies policies = (declared.isResolvable() ? declared.get() : MethodPolicies.empty())
        .with(policies(settings));
    if (settings.defaultPriority().isPresent()) {
      policies = policies.withDefault(MethodPolicy.of(Priority.parse(settings.defaultPriority().get())));
    }
    AdmissionConfig config = config(settings);
    Admission admission = Admission.builder(service)
        .config(config)
        .policies(policies)
        .meterRegistry(registries.isResolvable() ? registries.get() : Metrics.globalRegistry)
        .dispatcher(new VertxCallDispatcher())
        .redis(config.enabled() && config.clusterCalendar() ? redis.get() : null)
        .build();
    LOG.info("admission for {}: {} with {}", service, config.enabled() ? "on" : "OFF (naive baseline)", policies);
    return admission;
  }

  /**
   * Builds admission and the Redis connection at start-up, not lazily on the first call (on an event loop, where
   * loading their classes would block it), and loads the classes of the overload answer so that the first refusal
   * costs what the others cost. Connecting to Redis starts here, in the background.
   */
  void warmUp(@Observes StartupEvent started, Admission admission, RedisSettings redisSettings,
      Instance<SharedRedis> redis) {
    admission.errors().overload(RejectReason.OVERLOADED, 1);
    if (redisSettings.uri().isPresent()) {
      redis.get();
    }
  }

  void closeAdmission(@Disposes Admission admission) {
    admission.close();
  }

  @Produces
  @Singleton
  SharedRedis sharedRedis(RedisSettings settings) {
    String uri = settings.uri().orElseThrow(() -> new IllegalStateException(
        "stampede.redis.uri is not set (env STAMPEDE_REDIS_URI, e.g. redis://127.0.0.1:6379)"));
    SharedRedis redis = SharedRedis.builder(uri)
        .commandTimeout(settings.commandTimeout())
        .connectTimeout(settings.connectTimeout())
        .requestQueueSize(settings.requestQueueSize())
        .reconnectMax(settings.reconnectMax())
        .ioThreads(settings.ioThreads())
        .build();
    redis.connect();
    return redis;
  }

  void closeRedis(@Disposes SharedRedis redis) {
    redis.close();
  }

  @Produces
  @Singleton
  Budgets budgets(Admission admission, Instance<SharedRedis> redis, AdmissionSettings settings) {
    return new Budgets(admission.enabled() ? redis.get() : null, admission.metrics(), admission.enabled(),
        admission.ticker(), settings.budgetTimeout());
  }

  /** The {@link AdmissionConfig} a Quarkus app's settings describe. */
  static AdmissionConfig config(AdmissionSettings s) {
    QueueTimePolicy.Builder queueTime = QueueTimePolicy.builder()
        .target(s.queue().target())
        .interval(s.queue().interval())
        .maxQueueTime(s.queue().maxTime())
        .lifoWhenOverloaded(s.queue().lifo())
        .bookedMaxQueueTime(s.queue().bookedMaxTime());
    perPriority(s).forEach((p, ps) -> {
      ps.maxQueueTime().ifPresent(d -> queueTime.maxQueueTime(p, d));
      ps.holdMaxTime().ifPresent(d -> queueTime.holdMaxTime(p, d));
    });
    AdmissionConfig.Builder b = AdmissionConfig.builder()
        .enabled(s.enabled())
        .algorithm(LimitAlgorithm.parse(s.limit().algorithm()))
        .initialLimit(s.limit().initial())
        .minLimit(s.limit().min())
        .maxLimit(s.limit().max())
        .vegasProbeMultiplier(s.limit().vegasProbeMultiplier())
        .shares(shares(s))
        .queueCapacity(s.queue().capacity())
        .queueTime(queueTime.build())
        .maxStreams(s.streams().maxConcurrent())
        .calendarSlot(s.calendar().slot())
        .calendarHorizon(s.calendar().horizon())
        .calendarShare(s.calendar().share())
        .calendarMinRate(s.calendar().minRate())
        .clusterCalendar(s.calendar().cluster())
        .clusterCalendarTimeout(s.calendar().clusterTimeout())
        .retryBookings(s.calendar().bookings())
        .dependencyRetryDelay(s.dependencyRetryDelay());
    s.calendar().minDelay().ifPresent(b::calendarMinDelay);
    return b.build();
  }

  /** The method policies of {@code stampede.admission.methods.*}. */
  static MethodPolicies policies(AdmissionSettings s) {
    MethodPolicies.Builder b = MethodPolicies.builder();
    for (Map.Entry<String, String> e : s.methods().entrySet()) {
      b.method(e.getKey(), parsePolicy(e.getKey(), e.getValue()));
    }
    return b.build();
  }

  /** {@code bypass}, {@code <priority>} or {@code <priority>,no-latency-signal}. */
  static MethodPolicy parsePolicy(String method, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("bypass")) {
      return MethodPolicy.BYPASS;
    }
    String[] parts = v.split("\\s*,\\s*");
    try {
      Priority p = Priority.parse(parts[0]);
      if (parts.length == 1) {
        return MethodPolicy.of(p);
      }
      if (parts.length == 2 && parts[1].equals("no-latency-signal")) {
        return MethodPolicy.withoutLatencySignal(p);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the error naming the key
    }
    throw new IllegalArgumentException("stampede.admission.methods.\"" + method + "\": '" + value
        + "' (expected: critical|resume|login|sheddable[,no-latency-signal] or bypass)");
  }

  /** The reserved shares, with each priority's in-flight cap ({@code <priority>.max-inflight}) where one is set. */
  static PriorityShares shares(AdmissionSettings s) {
    PriorityShares shares = PriorityShares.of(
        s.critical().reservedShare().orElse(PriorityShares.DEFAULT.share(Priority.CRITICAL)),
        s.resume().reservedShare().orElse(PriorityShares.DEFAULT.share(Priority.RESUME)),
        s.login().reservedShare().orElse(PriorityShares.DEFAULT.share(Priority.LOGIN)),
        s.sheddable().reservedShare().orElse(PriorityShares.DEFAULT.share(Priority.SHEDDABLE)));
    for (Map.Entry<Priority, AdmissionSettings.PrioritySettings> e : perPriority(s).entrySet()) {
      if (e.getValue().maxInflight().isPresent()) {
        shares = shares.withMaxInflight(e.getKey(), e.getValue().maxInflight().getAsInt());
      }
    }
    return shares;
  }

  private static Map<Priority, AdmissionSettings.PrioritySettings> perPriority(AdmissionSettings s) {
    return Map.of(Priority.CRITICAL, s.critical(), Priority.RESUME, s.resume(), Priority.LOGIN, s.login(),
        Priority.SHEDDABLE, s.sheddable());
  }
}
