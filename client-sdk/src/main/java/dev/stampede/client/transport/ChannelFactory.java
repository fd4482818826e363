package dev.stampede.client.transport;

import io.grpc.ManagedChannel;

/**
 * Makes the channels of a client: one per service target, and one per relay pod address. The client owns and
 * shuts down every channel it gets. The default is {@link NettyChannelFactory}; tests plug in-process channels.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ChannelFactory {

  /**
   * A new channel to {@code target}.
   *
   * @param target a validated target string (see {@link Targets}) or a relay pod's {@code host:port}
   */
  ManagedChannel newChannel(String target);
}
