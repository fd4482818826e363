package dev.stampede.client;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.LookupResponse;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.UnregisterResponse;
import dev.stampede.client.watch.PresenceWatch;
import dev.stampede.client.watch.WatchListener;
import io.grpc.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The RPCs of {@code stampede.directory.v1.DirectoryService} with the client's retry discipline, plus a
 * self-healing {@link #watch}. Async and blocking forms as in {@link AuthClient}. Thread-safe.
 */
public final class DirectoryClient {
  private final StampedeClient client;
  private final Channel channel;

  DirectoryClient(StampedeClient client, Channel channel) {
    this.client = client;
    this.channel = channel;
  }

  public CompletableFuture<RegisterResponse> registerAsync(RegisterRequest request, CallSettings settings) {
    return client.call(Service.DIRECTORY, channel, DirectoryServiceGrpc.getRegisterMethod(), request, settings);
  }

  public RegisterResponse register(RegisterRequest request) {
    return Blocking.await(registerAsync(request, CallSettings.inherit()));
  }

  public CompletableFuture<HeartbeatResponse> heartbeatAsync(HeartbeatRequest request, CallSettings settings) {
    return client.call(Service.DIRECTORY, channel, DirectoryServiceGrpc.getHeartbeatMethod(), request, settings);
  }

  public HeartbeatResponse heartbeat(HeartbeatRequest request) {
    return Blocking.await(heartbeatAsync(request, CallSettings.inherit()));
  }

  public CompletableFuture<UnregisterResponse> unregisterAsync(UnregisterRequest request, CallSettings settings) {
    return client.call(Service.DIRECTORY, channel, DirectoryServiceGrpc.getUnregisterMethod(), request, settings);
  }

  public UnregisterResponse unregister(UnregisterRequest request) {
    return Blocking.await(unregisterAsync(request, CallSettings.inherit()));
  }

  public CompletableFuture<LookupResponse> lookupAsync(LookupRequest request, CallSettings settings) {
    return client.call(Service.DIRECTORY, channel, DirectoryServiceGrpc.getLookupMethod(), request, settings);
  }

  public LookupResponse lookup(LookupRequest request) {
    return Blocking.await(lookupAsync(request, CallSettings.inherit()));
  }

  /**
   * Watches the presence of up to 100 users until the returned watch is closed, re-subscribing whenever the server
   * ends the stream (see {@link PresenceWatch}).
   *
   * @param sessionToken supplies the current session token at every subscription
   * @throws IllegalArgumentException if {@code userIds} breaks the contract's limits
   */
  public PresenceWatch watch(List<String> userIds, Supplier<String> sessionToken, WatchListener listener) {
    return client.startWatch(channel, userIds, sessionToken, listener);
  }
}
