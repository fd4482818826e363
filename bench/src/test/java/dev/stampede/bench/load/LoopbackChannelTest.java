package dev.stampede.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmarks' client channel over a real loopback server. */
class LoopbackChannelTest {
  private static final MethodDescriptor<byte[], byte[]> ECHO = UnaryCalls.rawMethod("test.Echo/Echo");

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("test.Echo")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
            .build())
        .build()
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void answersCompleteOnTheTransportThread_notOnAPooledExecutor() throws Exception {
    channel = LoopbackChannel.open(server.getPort());
    CompletableFuture<String> thread = new CompletableFuture<>();
    Operation echo = UnaryCalls.unary(channel, ECHO, attempt -> new byte[] {1, 2, 3}, Duration.ofSeconds(5));

    CompletableFuture<?> reply = echo.call(1)
        .thenAccept(value -> {
          assertThat((byte[]) value).containsExactly(1, 2, 3);
          thread.complete(Thread.currentThread().getName());
        })
        .toCompletableFuture();

    reply.get(10, TimeUnit.SECONDS);
    // grpc-java hands callbacks to "grpc-default-executor-N" unless the channel runs them directly.
    assertThat(thread.get()).doesNotStartWith("grpc-default-executor");
  }

  @Test
  void aWindowedChannelCarriesAMessageLargerThanTheDefaultWindow() throws Exception {
    channel = LoopbackChannel.open(server.getPort(), 4 << 20);
    byte[] big = new byte[2 << 20];
    big[big.length - 1] = 42;
    Operation echo = UnaryCalls.unary(channel, ECHO, attempt -> big, Duration.ofSeconds(10));

    Object reply = echo.call(1).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat((byte[]) reply).hasSize(big.length).endsWith(42);
  }
}
