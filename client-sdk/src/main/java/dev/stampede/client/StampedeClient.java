package dev.stampede.client;

import dev.stampede.client.observe.ClientEventListener;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.retry.RetryPolicy;
import dev.stampede.client.time.TimeSource;
import dev.stampede.client.transport.ChannelFactory;
import dev.stampede.client.transport.NettyChannelFactory;
import dev.stampede.client.transport.ReconnectOptions;
import dev.stampede.client.transport.ReconnectPacer;
import dev.stampede.client.transport.Targets;
import dev.stampede.client.transport.Tls;
import dev.stampede.client.watch.PresenceWatch;
import dev.stampede.client.watch.WatchListener;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The client of a Stampede deployment: channels to auth, directory and relay, and typed access to their RPCs with
 * the retry discipline of DESIGN §1.
 *
 * <p>One instance is meant to be shared: it is thread-safe, its calls hold no thread while they wait (retries and
 * pushback waits are timers on the {@link TimeSource}), and any number of
 * {@link dev.stampede.client.connect.Connection}s — one per user, or per simulated device — can run on it. Build
 * one with {@link #builder()}; {@link #close()} ends every call in progress with {@code CANCELLED} and releases
 * channels, timers and the threads the client created.
 *
 * <pre>{@code
 * StampedeClient client = StampedeClient.builder()
 *     .auth("127.0.0.1:9001,127.0.0.1:9002")
 *     .directory("dns:///directory.stampede.svc.cluster.local:9000")
 *     .tls(Tls.trustCertificates(Path.of("ca.pem")))
 *     .build();
 * }</pre>
 */
public final class StampedeClient implements AutoCloseable {
  /** Deadline of a call (all its attempts) unless {@link CallSettings} say otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
  /** User-agent prefix. */
  public static final String USER_AGENT = "stampede-client-sdk";

  private static final System.Logger LOG = System.getLogger(StampedeClient.class.getName());

  private final TimeSource time;
  private final ScheduledExecutorService ownedScheduler;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final ChannelFactory channelFactory;
  private final ReconnectOptions reconnect;
  private final RandomGenerator random;
  private final ClientEventListener events;
  private final RetryOptions retryOptions;
  private final Supplier<? extends RetryPolicy> retryPolicyFactory;
  private final Duration defaultDeadline;
  private final Map<Service, ManagedChannel> channels = new EnumMap<>(Service.class);
  private final Map<Service, RetryPolicy> sharedPolicies = new EnumMap<>(Service.class);
  private final Map<String, ManagedChannel> relayPods = new ConcurrentHashMap<>();
  private final List<ReconnectPacer> pacers = new CopyOnWriteArrayList<>();
  private final Set<UnaryCall<?, ?>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AuthClient auth;
  private final DirectoryClient directory;
  private final RelayClient relay;

  private StampedeClient(Builder b) {
    if (b.timeSource != null) {
      this.time = b.timeSource;
      this.ownedScheduler = null;
    } else {
      ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("stampede-timer"));
      // Tens of thousands of cancelled heartbeat timers must not pile up in the queue.
      scheduler.setRemoveOnCancelPolicy(true);
      this.ownedScheduler = scheduler;
      this.time = TimeSource.system(scheduler);
    }
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads("stampede-client"));
      this.executor = ownedExecutor;
    }
    this.reconnect = b.reconnect;
    this.random = b.random;
    this.events = ClientEventListener.composite(b.listeners);
    this.retryOptions = b.retryOptions;
    this.retryPolicyFactory = b.retryPolicyFactory != null ? b.retryPolicyFactory
        : () -> b.retryOptions.newPolicy(b.random);
    this.defaultDeadline = b.defaultDeadline;
    this.channelFactory = b.channelFactory != null ? b.channelFactory
        : new NettyChannelFactory(b.tls, executor, reconnect.connectTimeout(), USER_AGENT);
    try {
      for (Map.Entry<Service, String> target : b.targets.entrySet()) {
        channels.put(target.getKey(), openChannel(target.getValue()));
        sharedPolicies.put(target.getKey(), Objects.requireNonNull(retryPolicyFactory.get(), "retry policy"));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.auth = channels.containsKey(Service.AUTH) ? new AuthClient(this, channels.get(Service.AUTH)) : null;
    this.directory = channels.containsKey(Service.DIRECTORY)
        ? new DirectoryClient(this, channels.get(Service.DIRECTORY)) : null;
    this.relay = channels.containsKey(Service.RELAY) ? new RelayClient(this, channels.get(Service.RELAY)) : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The auth service.
   *
   * @throws IllegalStateException if no auth target was configured
   */
  public AuthClient auth() {
    return configured(auth, Service.AUTH);
  }

  /**
   * The directory service.
   *
   * @throws IllegalStateException if no directory target was configured
   */
  public DirectoryClient directory() {
    return configured(directory, Service.DIRECTORY);
  }

  /**
   * The relay service.
   *
   * @throws IllegalStateException if no relay target was configured
   */
  public RelayClient relay() {
    return configured(relay, Service.RELAY);
  }

  /** Whether a target was configured for {@code service}. */
  public boolean has(Service service) {
    return channels.containsKey(service);
  }

  /**
   * The connectivity state of the channel to {@code service}, without asking it to connect.
   *
   * @throws IllegalStateException if the service has no target
   */
  public ConnectivityState connectivityState(Service service) {
    ManagedChannel channel = channels.get(service);
    if (channel == null) {
      throw notConfigured(service);
    }
    return channel.getState(false);
  }

  /**
   * Completes when the channel to {@code service} is {@code READY}, asking it to connect if it is idle; fails with
   * {@code UNAVAILABLE} if the channel shuts down first. The channel's own reconnect pacing is left alone: this only
   * watches it. Never completes while the server stays unreachable — bound the wait yourself; completing the future
   * (e.g. on a timeout) ends the watch at the channel's next state change.
   *
   * <p>Lets a caller start a call's deadline when there is a server to answer it: a wait-for-ready call whose
   * deadline runs while its server is down can have little of it left when the server is back and busy.
   *
   * @throws IllegalStateException if the service has no target
   */
  public CompletableFuture<Void> whenReady(Service service) {
    ManagedChannel channel = channels.get(service);
    if (channel == null) {
      throw notConfigured(service);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    awaitReady(channel, ready);
    return ready;
  }

  private static void awaitReady(ManagedChannel channel, CompletableFuture<Void> ready) {
    if (ready.isDone()) {
      // The caller stopped waiting: stop watching the channel.
      return;
    }
    ConnectivityState state = channel.getState(true);
    switch (state) {
      case READY -> ready.complete(null);
      case SHUTDOWN -> ready.completeExceptionally(
          io.grpc.Status.UNAVAILABLE.withDescription("channel shut down").asRuntimeException());
      default -> channel.notifyWhenStateChanged(state, () -> awaitReady(channel, ready));
    }
  }

  /** The time base of every wait and deadline of this client. */
  public TimeSource timeSource() {
    return time;
  }

  /** Where call callbacks and the SDK's blocking work (credential files) run. */
  public Executor executor() {
    return executor;
  }

  /** The client's event listener (all listeners given to the builder). */
  public ClientEventListener events() {
    return events;
  }

  /** The default deadline of a call. */
  public Duration defaultDeadline() {
    return defaultDeadline;
  }

  /** The retry settings the client was built with. */
  public RetryOptions retryOptions() {
    return retryOptions;
  }

  /**
   * A retry policy with fresh state (its own budget and throttle) from the client's factory, for a caller that
   * should be governed apart from the rest of the process — one simulated device, for instance.
   */
  public RetryPolicy newRetryPolicy() {
    return Objects.requireNonNull(retryPolicyFactory.get(), "retry policy");
  }

  /** The reconnect settings the client was built with. */
  public ReconnectOptions reconnectOptions() {
    return reconnect;
  }

  /** The random generator for jitter. */
  public RandomGenerator random() {
    return random;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Ends every call in progress with {@code CANCELLED}, shuts the channels down, lets work already queued on the
   * client's own executor finish (credential-file writes; at most 5 s in all) and stops the threads the client
   * created (not an executor or time source given to the builder). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (UnaryCall<?, ?> call : pending) {
      call.abort("client closed");
    }
    pacers.forEach(ReconnectPacer::stop);
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    all.addAll(relayPods.values());
    all.forEach(ManagedChannel::shutdownNow);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ManagedChannel channel : all) {
      try {
        channel.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (ownedExecutor != null) {
      // Let queued work finish: it may be the credential-file write of a ticket the server just rotated, and
      // losing it would make the next start present a spent ticket (which revokes the whole ticket family).
      ownedExecutor.shutdown();
      try {
        if (!ownedExecutor.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          LOG.log(System.Logger.Level.WARNING, "client executor still busy after 5 s; stopping it");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ownedExecutor.shutdownNow();
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "StampedeClient{services=" + channels.keySet() + ", closed=" + closed.get() + "}";
  }

  <Q, R> CompletableFuture<R> call(Service service, Channel channel, MethodDescriptor<Q, R> method, Q request,
      CallSettings settings) {
    Objects.requireNonNull(request, "request");
    CallSettings s = settings == null ? CallSettings.inherit() : settings;
    RetryPolicy policy = s.retryPolicy() != null ? s.retryPolicy() : sharedPolicies.get(service);
    Duration deadline = s.deadline() != null ? s.deadline() : defaultDeadline;
    boolean waitForReady = s.waitForReady() == null || s.waitForReady();
    UnaryCall<Q, R> call = new UnaryCall<>(channel, service, method, request, s, deadline.toNanos(), waitForReady,
        policy, Context.current(), time, events);
    pending.add(call);
    call.result.whenComplete((r, t) -> pending.remove(call));
    if (closed.get()) {
      call.abort("client closed");
      return call.result;
    }
    call.start();
    return call.result;
  }

  PresenceWatch startWatch(Channel channel, List<String> userIds, Supplier<String> token, WatchListener listener) {
    checkOpen();
    Backoff backoff = Backoff.fullJitter(retryOptions.initialBackoff(), retryOptions.maxBackoff(),
        retryOptions.backoffMultiplier(), random);
    return PresenceWatch.start(channel, userIds, token, listener, time, backoff);
  }

  Channel relayPodChannel(String relayAddress) {
    checkOpen();
    String address = Targets.validate("relayAddress", relayAddress);
    ManagedChannel channel = relayPods.computeIfAbsent(address, this::openChannel);
    if (closed.get()) {
      channel.shutdownNow();
      throw new IllegalStateException("client closed");
    }
    return channel;
  }

  private ManagedChannel openChannel(String target) {
    ManagedChannel channel = Objects.requireNonNull(channelFactory.newChannel(target), "channel for " + target);
    ReconnectPacer pacer = ReconnectPacer.attach(channel, target, reconnect, time, random, events);
    if (pacer != null) {
      pacers.add(pacer);
    }
    return channel;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("client closed");
    }
  }

  private static <T> T configured(T client, Service service) {
    if (client == null) {
      throw notConfigured(service);
    }
    return client;
  }

  private static IllegalStateException notConfigured(Service service) {
    return new IllegalStateException(service.label() + ": no target configured (expected: StampedeClient.Builder."
        + service.label() + "(...))");
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Builds a {@link StampedeClient}. Every setter validates its argument and throws
   * {@link IllegalArgumentException} naming it. Not thread-safe.
   */
  public static final class Builder {
    private final Map<Service, String> targets = new EnumMap<>(Service.class);
    private Tls tls = Tls.systemTrust();
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private Executor executor;
    private TimeSource timeSource;
    private RetryOptions retryOptions = RetryOptions.defaults();
    private Supplier<? extends RetryPolicy> retryPolicyFactory;
    private ReconnectOptions reconnect = ReconnectOptions.defaults();
    private final List<ClientEventListener> listeners = new ArrayList<>();
    private ChannelFactory channelFactory;
    private RandomGenerator random = RetryOptionsRandom.INSTANCE;

    private Builder() {
    }

    /**
     * The auth service: {@code host:port[,host:port...]} (balanced round robin) or a gRPC URI such as
     * {@code dns:///auth.stampede.svc.cluster.local:9000}.
     */
    public Builder auth(String target) {
      return target(Service.AUTH, target);
    }

    /** The auth service as a list of {@code host:port} (the {@code ./stampede up} JSON shape). */
    public Builder auth(List<String> hostPorts) {
      return target(Service.AUTH, join("auth", hostPorts));
    }

    /** The directory service; see {@link #auth(String)}. */
    public Builder directory(String target) {
      return target(Service.DIRECTORY, target);
    }

    public Builder directory(List<String> hostPorts) {
      return target(Service.DIRECTORY, join("directory", hostPorts));
    }

    /** The relay service (for Allocate and Release; streams go to the pod an allocation names). */
    public Builder relay(String target) {
      return target(Service.RELAY, target);
    }

    public Builder relay(List<String> hostPorts) {
      return target(Service.RELAY, join("relay", hostPorts));
    }

    private Builder target(Service service, String target) {
      targets.put(service, Targets.validate(service.label(), target));
      return this;
    }

    private static String join(String name, List<String> hostPorts) {
      Objects.requireNonNull(hostPorts, name);
      if (hostPorts.isEmpty()) {
        throw new IllegalArgumentException(name + ": [] (expected: at least one host:port)");
      }
      for (String hp : hostPorts) {
        if (hp == null || Targets.isUri(hp) || hp.contains(",")) {
          throw new IllegalArgumentException(name + ": " + hostPorts + " (expected: a list of host:port)");
        }
      }
      return String.join(",", hostPorts);
    }

    /** No TLS (loopback, or a mesh that encrypts). The default is TLS with the system trust store. */
    public Builder plaintext() {
      this.tls = Tls.plaintext();
      return this;
    }

    /** Transport security; see {@link Tls}. */
    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The deadline of a call (all its attempts) when {@link CallSettings} set none.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder defaultDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "defaultDeadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("defaultDeadline: " + deadline + " (expected: > 0)");
      }
      this.defaultDeadline = deadline;
      return this;
    }

    /**
     * Runs call callbacks and the SDK's blocking work (credential files). The caller keeps ownership. Default: a
     * cached pool of daemon threads owned by the client.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The time base (a {@link dev.stampede.client.time.FakeClock} in tests). Default: real time. */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /** Settings of the default retry policy. */
    public Builder retryOptions(RetryOptions retryOptions) {
      this.retryOptions = Objects.requireNonNull(retryOptions, "retryOptions");
      return this;
    }

    /**
     * Makes the retry policies instead of {@link RetryOptions#newPolicy(RandomGenerator)}: one per service for the
     * client's own calls, and one per service for each connection.
     */
    public Builder retryPolicyFactory(Supplier<? extends RetryPolicy> factory) {
      this.retryPolicyFactory = Objects.requireNonNull(factory, "retryPolicyFactory");
      return this;
    }

    /** Reconnect pacing and the TCP connect timeout. */
    public Builder reconnect(ReconnectOptions reconnect) {
      this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
      return this;
    }

    /** Adds a listener for attempts, retries, local rejections and reconnects. */
    public Builder eventListener(ClientEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "eventListener"));
      return this;
    }

    /** Makes the channels (tests: in-process channels). Default: {@link NettyChannelFactory}. */
    public Builder channelFactory(ChannelFactory channelFactory) {
      this.channelFactory = Objects.requireNonNull(channelFactory, "channelFactory");
      return this;
    }

    /** The source of jitter (a seeded generator makes a simulation repeatable). Must be thread-safe. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if no target was configured
     * @throws java.io.UncheckedIOException if TLS material cannot be read
     */
    public StampedeClient build() {
      if (targets.isEmpty()) {
        throw new IllegalStateException("no target configured (expected: at least one of auth, directory, relay)");
      }
      return new StampedeClient(this);
    }
  }

  /** Jitter from the calling thread's generator: no contention between many simulated clients. */
  private enum RetryOptionsRandom implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }

    @Override
    public double nextDouble() {
      return java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    }
  }
}
