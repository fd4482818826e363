package dev.stampede.relay;

import dev.stampede.relay.allocation.AllocationRefresher;
import dev.stampede.relay.allocation.Allocator;
import dev.stampede.relay.allocation.DrainState;
import dev.stampede.relay.allocation.PodMembership;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.domain.Ids;
import dev.stampede.relay.drain.DrainReport;
import dev.stampede.relay.drain.Drainer;
import dev.stampede.relay.forward.BandwidthLimiter;
import dev.stampede.relay.forward.ForwardingStats;
import dev.stampede.relay.forward.Sessions;
import dev.stampede.relay.grpc.Authenticator;
import dev.stampede.relay.grpc.RelayEndpoint;
import dev.stampede.relay.grpc.Statuses;
import dev.stampede.relay.store.AllocationStore;
import dev.stampede.relay.store.PodRegistry;
import dev.stampede.admission.grpc.ErrorMapper;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionTokenVerifier;
import dev.stampede.tokens.revocation.RevocationCheck;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay pod, framework-free: it wires the store, the forwarding core, allocation, drain and the gRPC endpoint.
 * The Quarkus app builds one from configuration; tests build several against one Redis to act as a cluster.
 *
 * <pre>{@code
 * Admission admission = Admission.builder("relay").policies(RelayEndpoint.methodPolicies()).build();
 * RelayNode node = RelayNode.builder()
 *     .address("10.0.0.7:9000").settings(settings).redis(sharedRedis::async).errors(admission.errors())
 *     .keyRing(KeyRing.parse("relay", keys)).meterRegistry(registry).build();
 * server.addService(ServerInterceptors.intercept(node.endpoint(), admission.interceptor()));  // any grpc-java server
 * node.start();                          // registry heartbeat, allocation refresh
 * ...
 * node.drain(settings.drainGrace());     // on SIGTERM, before the server stops
 * node.close();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RelayNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);
  private static final AtomicInteger NODES = new AtomicInteger();

  private final String address;
  private final RelaySettings settings;
  private final ScheduledExecutorService timer;
  private final Sessions sessions;
  private final BandwidthLimiter limiter;
  private final DrainState drain = new DrainState();
  private final PodMembership membership;
  private final AllocationRefresher refresher;
  private final Drainer drainer;
  private final RelayEndpoint endpoint;
  private final RelayMetrics metrics;
  private final RevocationCheck revocations;

  private RelayNode(Builder b) {
    this.address = b.address;
    this.settings = b.settings;
    int n = NODES.incrementAndGet();
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "relay-timer-" + n);
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = Executors.unconfigurableScheduledExecutorService(t);
    this.limiter = new BandwidthLimiter(settings.maxBytesPerSecond(), b.nanoTime,
        (task, delayNanos) -> timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    this.sessions = new Sessions(settings.streamBuffer(), limiter, new ForwardingStats());
    AllocationStore store = new AllocationStore(b.redis);
    PodRegistry registry = new PodRegistry(b.redis);
    Ids ids = new Ids(b.random);
    this.membership = new PodMembership(address, settings, registry, drain, b.clock, b.nanoTime);
    this.refresher = new AllocationRefresher(address, settings, store, sessions, drain, b.clock);
    Allocator allocator = new Allocator(address, settings, store, sessions, limiter, drain, ids, b.clock);
    this.drainer = new Drainer(address, settings, store, registry, membership, sessions, drain, ids, b.clock,
        b.nanoTime);
    Supplier<RedisAsyncCommands<String, String>> redis = b.redis;
    this.revocations = RevocationCheck.builder()
        .lookup((key, sessionId) -> redis.get().hexists(key, sessionId))
        .nanoTime(b.nanoTime)
        .build();
    SessionTokenVerifier verifier = SessionTokenVerifier.builder().keyRing(b.keyRing).clock(b.clock).build();
    Authenticator authenticator = new Authenticator(verifier, revocations);
    this.metrics = new RelayMetrics(b.meterRegistry, settings, sessions, limiter, drain);
    this.endpoint = new RelayEndpoint(authenticator, allocator, sessions, settings, timer, metrics,
        new Statuses(b.errors));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the registry heartbeat and the allocation refresh. */
  public RelayNode start() {
    membership.heartbeat();
    timer.scheduleWithFixedDelay(() -> membership.heartbeat(), membership.periodMillis(),
        membership.periodMillis(), TimeUnit.MILLISECONDS);
    long refresh = settings.refreshInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> refresher.refresh(), refresh, refresh, TimeUnit.MILLISECONDS);
    LOG.info("relay pod {} started: {}", address, settings);
    return this;
  }

  /** The gRPC service to add to a server. */
  public RelayEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Drains this pod (see {@link Drainer}): blocks up to {@code grace} plus a few seconds of store calls.
   * Idempotent; later calls return at once.
   */
  public DrainReport drain(Duration grace) {
    DrainReport report = drainer.drain(grace);
    metrics.drained(report);
    return report;
  }

  /** {@code host:port} other pods and clients reach this pod at. */
  public String address() {
    return address;
  }

  public RelaySettings settings() {
    return settings;
  }

  /** Whether this pod is draining (it is then not ready). */
  public boolean isDraining() {
    return drain.isDraining();
  }

  /** Whether a registry heartbeat reached Redis recently. */
  public boolean isRedisReachable() {
    return membership.isRedisReachable();
  }

  /** The live sessions (for metrics, tests and the drain). */
  public Sessions sessions() {
    return sessions;
  }

  /** Pod-wide forwarding counters. */
  public ForwardingStats stats() {
    return sessions.stats();
  }

  /** Stops the timers. Streams are not touched: drain first. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** Builds a {@link RelayNode}. Not thread-safe. */
  public static final class Builder {
    private String address;
    private RelaySettings settings = RelaySettings.defaults();
    private Supplier<RedisAsyncCommands<String, String>> redis;
    private KeyRing keyRing;
    private MeterRegistry meterRegistry;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;
    private SecureRandom random = new SecureRandom();
    private ErrorMapper errors;

    private Builder() {
    }

    /** {@code host:port} this pod is reached at (required). */
    public Builder address(String address) {
      if (address == null || !address.matches("[^\\s{}]+:\\d{1,5}")) {
        throw new IllegalArgumentException("address: '" + address + "' (expected: host:port)");
      }
      this.address = address;
      return this;
    }

    public Builder settings(RelaySettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The shared Redis commands (required), e.g. {@code SharedRedis::async}; may throw while Redis is away. */
    public Builder redis(Supplier<RedisAsyncCommands<String, String>> redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
      return this;
    }

    /** The key ring of audience {@code relay} (required). */
    public Builder keyRing(KeyRing keyRing) {
      if (!"relay".equals(keyRing.audience())) {
        throw new IllegalArgumentException("keyRing: audience " + keyRing.audience() + " (expected: relay)");
      }
      this.keyRing = keyRing;
      return this;
    }

    /** Where metrics go (required). */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The admission library's failure-to-status mapping of this server (required): overload answers take their
     * delay from its retry calendar ({@code Admission.errors()}).
     */
    public Builder errors(ErrorMapper errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** @throws IllegalStateException if a required part is missing */
    public RelayNode build() {
      if (address == null || redis == null || keyRing == null || meterRegistry == null || errors == null) {
        throw new IllegalStateException("address, redis, keyRing, meterRegistry and errors are required");
      }
      return new RelayNode(this);
    }
  }
}
