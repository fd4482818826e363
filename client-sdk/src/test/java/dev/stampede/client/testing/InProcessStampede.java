package dev.stampede.client.testing;

import dev.stampede.client.StampedeClient;
import dev.stampede.client.time.FakeClock;
import dev.stampede.client.transport.ChannelFactory;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * In-process servers named "auth", "directory", "relay", ... that can be stopped and started again under the same
 * name (a pod restart), and clients whose channels, deadlines and timers all run on one {@link FakeClock}. Every
 * executor is direct: a test is single-threaded and moves time itself.
 */
public final class InProcessStampede implements AutoCloseable {
  public final FakeClock clock;
  private final String prefix = InProcessServerBuilder.generateName();
  private final Map<String, ServerServiceDefinition> services = new ConcurrentHashMap<>();
  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  private final List<StampedeClient> clients = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  public InProcessStampede(FakeClock clock) {
    this.clock = clock;
  }

  /** The target string that reaches server {@code name}. */
  public static String target(String name) {
    return "in-process:///" + name;
  }

  public InProcessStampede serve(String name, BindableService service) {
    return serve(name, service.bindService());
  }

  /**
   * Serves {@code service} as {@code name} (replacing what served that name) behind an interceptor that keeps the
   * request headers of every call, in order.
   */
  public List<io.grpc.Metadata> serveRecordingHeaders(String name, BindableService service) {
    List<io.grpc.Metadata> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    stop(name);
    serve(name, io.grpc.ServerInterceptors.intercept(service, new io.grpc.ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
          io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
        seen.add(headers);
        return next.startCall(call, headers);
      }
    }));
    return seen;
  }

  public InProcessStampede serve(String name, ServerServiceDefinition service) {
    services.put(name, service);
    start(name);
    return this;
  }

  /** Starts (again) the server registered under {@code name}. */
  public void start(String name) {
    try {
      servers.put(name, InProcessServerBuilder.forName(prefix + "-" + name)
          .directExecutor()
          .scheduledExecutorService(clock.scheduler())
          .addService(services.get(name))
          .build()
          .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops server {@code name} at once: open calls fail, new connections are refused. */
  public void stop(String name) {
    Server server = servers.remove(name);
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Maps {@code in-process:///name} to in-process channels on the fake clock. */
  public ChannelFactory channelFactory() {
    return target -> {
      String name = target.substring(target.lastIndexOf('/') + 1);
      ManagedChannel channel = InProcessChannelBuilder.forName(prefix + "-" + name)
          .directExecutor()
          .scheduledExecutorService(clock.scheduler())
          .build();
      synchronized (channels) {
        channels.add(channel);
      }
      return channel;
    };
  }

  /** A client builder wired to these servers and the fake clock, with seeded jitter. */
  public StampedeClient.Builder clientBuilder(long seed) {
    StampedeClient.Builder builder = StampedeClient.builder()
        .plaintext()
        .channelFactory(channelFactory())
        .timeSource(clock)
        .executor(Runnable::run)
        .random(new Random(seed));
    if (services.containsKey("auth")) {
      builder.auth(target("auth"));
    }
    if (services.containsKey("directory")) {
      builder.directory(target("directory"));
    }
    if (services.containsKey("relay")) {
      builder.relay(target("relay"));
    }
    return builder;
  }

  /** Builds a client and closes it with this harness. */
  public StampedeClient client(StampedeClient.Builder builder) {
    StampedeClient client = builder.build();
    clients.add(client);
    return client;
  }

  /** Moves time in steps so that timers scheduled by timers also run; returns when {@code total} has passed. */
  public void advance(java.time.Duration total) {
    clock.forward(total);
  }

  @Override
  public void close() {
    clients.forEach(StampedeClient::close);
    synchronized (channels) {
      channels.forEach(ManagedChannel::shutdownNow);
    }
    for (String name : List.copyOf(servers.keySet())) {
      stop(name);
    }
  }
}
