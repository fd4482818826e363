package dev.stampede.relay.ops;

import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.relay.RelayNode;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/**
 * Registers the relay's grpc-java service on Quarkus's gRPC server. The service itself is plain grpc-java
 * ({@code RelayEndpoint}, with manual flow control through {@code ServerCallStreamObserver}); this bean only hands
 * its definition over.
 */
@GrpcService
public class RelayGrpcService extends RelayServiceGrpc.RelayServiceImplBase {
  @Inject
  RelayNode relay;

  @Override
  public ServerServiceDefinition bindService() {
    return relay.endpoint().bindService();
  }
}
