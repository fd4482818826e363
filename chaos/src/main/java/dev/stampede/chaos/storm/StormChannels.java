package dev.stampede.chaos.storm;

import dev.stampede.client.StampedeClient;
import dev.stampede.client.time.TimeSource;
import dev.stampede.client.transport.ChannelFactory;
import dev.stampede.client.transport.NettyChannelFactory;
import dev.stampede.client.transport.ReconnectOptions;
import dev.stampede.client.transport.Tls;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SDK clients a storm's virtual clients share: one {@link StampedeClient} — one HTTP/2 connection per server
 * replica — per {@code clientsPerShard} virtual clients, all on one small callback executor and one timer thread.
 * Tens of thousands of virtual clients thus need a few hundred file descriptors and a handful of threads, and no
 * single connection carries more concurrent streams than a server accepts.
 *
 * <p>Virtual client {@code i} uses shard {@code i / clientsPerShard} until {@link #move(int)} sends it to the next
 * one (how a 2007 client's "start over on a new connection" is modelled without a connection per client).
 *
 * <p>Thread-safe. {@link #close()} closes every client and the shared threads.
 */
public final class StormChannels implements AutoCloseable {
  /** Virtual clients per shared {@link StampedeClient} (the SDK README suggests a few hundred). */
  public static final int DEFAULT_CLIENTS_PER_SHARD = 250;

  private final int clientsPerShard;
  private final String authTarget;
  private final String directoryTarget;
  private final TimeSource time;
  private final ChannelFactory factory;
  // Opened on first use: a population given as an upper bound (a run that chooses N on its ramp) costs nothing for
  // the clients it never reaches.
  private final StampedeClient[] shards;
  private final int[] moves;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService callbacks;

  /**
   * Opens the shards for a population.
   *
   * @param authTarget auth's target ({@code host:port,...} or {@code dns:///...})
   * @param directoryTarget directory's target
   * @param population the number of virtual clients
   * @param clientsPerShard virtual clients per shared client, at least 1
   * @param interceptor installed on every channel (a {@link RecordingInterceptor}), or {@code null}
   */
  public StormChannels(String authTarget, String directoryTarget, int population, int clientsPerShard,
      ClientInterceptor interceptor) {
    this(authTarget, directoryTarget, population, clientsPerShard, interceptor, null);
  }

  /**
   * Opens the shards on channels from {@code transport} (tests: in-process channels).
   *
   * @param transport makes the channels, or {@code null} for plaintext Netty with a callback executor shared by
   *     all shards
   */
  public StormChannels(String authTarget, String directoryTarget, int population, int clientsPerShard,
      ClientInterceptor interceptor, ChannelFactory transport) {
    if (population < 1) {
      throw new IllegalArgumentException("population: " + population + " (expected: >= 1)");
    }
    if (clientsPerShard < 1) {
      throw new IllegalArgumentException("clientsPerShard: " + clientsPerShard + " (expected: >= 1)");
    }
    Objects.requireNonNull(authTarget, "authTarget");
    Objects.requireNonNull(directoryTarget, "directoryTarget");
    this.clientsPerShard = clientsPerShard;
    this.moves = new int[population];
    AtomicInteger n = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "stampede-storm-sdk-timer"));
    // Tens of thousands of cancelled heartbeat and retry timers must not pile up in the queue.
    scheduler.setRemoveOnCancelPolicy(true);
    int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));
    this.callbacks = Executors.newFixedThreadPool(threads, r -> daemon(r, "stampede-storm-sdk-" + n.incrementAndGet()));
    TimeSource system = TimeSource.system(scheduler);
    ChannelFactory base = transport != null ? transport : new NettyChannelFactory(Tls.plaintext(), callbacks,
        ReconnectOptions.defaults().connectTimeout(), StampedeClient.USER_AGENT + "-storm");
    ChannelFactory intercepted = interceptor == null ? base
        : target -> new InterceptedChannel(base.newChannel(target), interceptor);
    this.authTarget = authTarget;
    this.directoryTarget = directoryTarget;
    this.time = system;
    this.factory = intercepted;
    this.shards = new StampedeClient[(population + clientsPerShard - 1) / clientsPerShard];
  }

  /** The shared client virtual client {@code index} uses now. */
  public StampedeClient client(int index) {
    synchronized (moves) {
      int shard = (index / clientsPerShard + moves[index]) % shards.length;
      if (shards[shard] == null) {
        shards[shard] = StampedeClient.builder().auth(authTarget).directory(directoryTarget).plaintext()
            .executor(callbacks).timeSource(time).channelFactory(factory).build();
      }
      return shards[shard];
    }
  }

  /** Moves virtual client {@code index} to the next shard (a new connection, as far as the servers can tell). */
  public void move(int index) {
    synchronized (moves) {
      moves[index]++;
    }
  }

  /** How many shared clients have been opened. */
  public int shards() {
    synchronized (moves) {
      return (int) Arrays.stream(shards).filter(Objects::nonNull).count();
    }
  }

  @Override
  public void close() {
    // In parallel: each close waits for its channels to terminate.
    List<StampedeClient> open;
    synchronized (moves) {
      open = Arrays.stream(shards).filter(Objects::nonNull).toList();
    }
    open.parallelStream().forEach(StampedeClient::close);
    scheduler.shutdownNow();
    callbacks.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A managed channel whose calls go through an interceptor; lifecycle and connectivity are the delegate's. */
  private static final class InterceptedChannel extends ManagedChannel {
    private final ManagedChannel delegate;
    private final Channel intercepted;

    InterceptedChannel(ManagedChannel delegate, ClientInterceptor interceptor) {
      this.delegate = delegate;
      this.intercepted = ClientInterceptors.intercept(delegate, interceptor);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return intercepted.newCall(method, options);
    }

    @Override
    public String authority() {
      return delegate.authority();
    }

    @Override
    public ManagedChannel shutdown() {
      delegate.shutdown();
      return this;
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public ManagedChannel shutdownNow() {
      delegate.shutdownNow();
      return this;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
      return delegate.getState(requestConnection);
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
      delegate.notifyWhenStateChanged(source, callback);
    }

    @Override
    public void resetConnectBackoff() {
      delegate.resetConnectBackoff();
    }

    @Override
    public void enterIdle() {
      delegate.enterIdle();
    }
  }
}
