package dev.stampede.client;

import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.api.relay.v1.ReleaseRequest;
import dev.stampede.api.relay.v1.ReleaseResponse;
import dev.stampede.client.relay.RelayListener;
import dev.stampede.client.relay.RelayStream;
import io.grpc.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * The RPCs of {@code stampede.relay.v1.RelayService}: {@code Allocate} and {@code Release} go to the relay target
 * (any pod) with the retry discipline; {@link #connect} opens a flow-controlled stream to the pod that holds the
 * allocation ({@code relay_address}), on a channel the client keeps per pod address. Thread-safe.
 */
public final class RelayClient {
  private final StampedeClient client;
  private final Channel channel;

  RelayClient(StampedeClient client, Channel channel) {
    this.client = client;
    this.channel = channel;
  }

  public CompletableFuture<AllocateResponse> allocateAsync(AllocateRequest request, CallSettings settings) {
    return client.call(Service.RELAY, channel, RelayServiceGrpc.getAllocateMethod(), request, settings);
  }

  public AllocateResponse allocate(AllocateRequest request) {
    return Blocking.await(allocateAsync(request, CallSettings.inherit()));
  }

  public CompletableFuture<ReleaseResponse> releaseAsync(ReleaseRequest request, CallSettings settings) {
    return client.call(Service.RELAY, channel, RelayServiceGrpc.getReleaseMethod(), request, settings);
  }

  public ReleaseResponse release(ReleaseRequest request) {
    return Blocking.await(releaseAsync(request, CallSettings.inherit()));
  }

  /**
   * Joins an allocation on the pod at {@code relayAddress} with automatic flow control.
   *
   * @throws IllegalArgumentException if {@code relayAddress} is not {@code host:port} or the join lacks a field
   */
  public RelayStream connect(String relayAddress, JoinRequest join, RelayListener listener) {
    return connect(relayAddress, join, listener, RelayStream.Options.defaults());
  }

  /** As {@link #connect(String, JoinRequest, RelayListener)} with explicit flow-control options. */
  public RelayStream connect(String relayAddress, JoinRequest join, RelayListener listener,
      RelayStream.Options options) {
    return RelayStream.open(client.relayPodChannel(relayAddress), join, listener, options);
  }
}
