package dev.stampede.relay.ops;

import dev.stampede.relay.RelayNode;
import dev.stampede.relay.config.RelaySettings;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Transport settings the relay's memory bound depends on, applied to the separate gRPC server's Netty builder:
 * a fixed per-stream receive window ({@code stampede.relay.stream.inbound-window}, which also turns off BDP window
 * growth) and the largest accepted message (a 64 KiB frame plus its envelope).
 */
@Singleton
public class ServerTuning implements ServerBuilderCustomizer<VertxServerBuilder> {
  @Inject
  RelayNode relay;

  @Override
  public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
    builder.nettyBuilder()
        .flowControlWindow(relay.settings().inboundWindow())
        .maxInboundMessageSize(RelaySettings.MAX_MESSAGE_BYTES);
  }
}
