package dev.stampede.relay.it;

import dev.stampede.localstack.FreePorts;
import dev.stampede.relay.RelayNode;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.admission.Admission;
import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.relay.grpc.RelayEndpoint;
import dev.stampede.tokens.KeyRing;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One relay pod in the test JVM: a {@link RelayNode} behind a real grpc-java Netty server on loopback, with the
 * admission interceptor in front as in the app, and its own Redis connection. Callbacks run on the transport's event
 * loops (direct executor), as on the Quarkus server.
 */
final class TestRelay implements AutoCloseable {
  final RelayNode node;
  final Server server;
  final SharedRedis redis;
  final Admission admission;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final int port;

  private TestRelay(String redisUri, KeyRing ring, RelaySettings settings, Clock clock) {
    port = FreePorts.find();
    redis = SharedRedis.builder(redisUri).commandTimeout(Duration.ofSeconds(2)).build();
    redis.connect();
    admission = Admission.builder("relay").policies(RelayEndpoint.methodPolicies()).meterRegistry(metrics).build();
    node = RelayNode.builder()
        .address("127.0.0.1:" + port)
        .settings(settings)
        .redis(redis::async)
        .keyRing(ring)
        .meterRegistry(metrics)
        .errors(admission.errors())
        .clock(clock)
        .build();
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .directExecutor()
          .flowControlWindow(settings.inboundWindow())
          .maxInboundMessageSize(RelaySettings.MAX_MESSAGE_BYTES)
          .addService(ServerInterceptors.intercept(node.endpoint(), admission.interceptor()))
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a pod and waits until it is registered (Redis reachable). */
  static TestRelay start(String redisUri, KeyRing ring, RelaySettings settings, Clock clock) {
    TestRelay relay = new TestRelay(redisUri, ring, settings, clock);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      relay.redis.connect();
      return relay.redis.isConnected();
    });
    relay.node.start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay.node::isRedisReachable);
    return relay;
  }

  /** Starts a pod without waiting for Redis (for tests where Redis is away). */
  static TestRelay startWithoutWaiting(String redisUri, KeyRing ring, RelaySettings settings) {
    TestRelay relay = new TestRelay(redisUri, ring, settings, Clock.systemUTC());
    relay.node.start();
    return relay;
  }

  String address() {
    return node.address();
  }

  /** Value of a gauge of this pod's metrics. */
  double gauge(String name) {
    return metrics.get(name).gauge().value();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    node.close();
    admission.close();
    redis.close();
  }
}
