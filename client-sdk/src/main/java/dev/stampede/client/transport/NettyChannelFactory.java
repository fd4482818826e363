package dev.stampede.client.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The default {@link ChannelFactory}: grpc-java's Netty transport (the shaded artifact, which carries its own
 * relocated Netty and so never clashes with an application's), round-robin balancing over every address a target
 * resolves to, and a TCP connect timeout. Thread-safe.
 */
public final class NettyChannelFactory implements ChannelFactory {
  private final Tls tls;
  private final io.grpc.ChannelCredentials credentials;
  private final Executor executor;
  private final Duration connectTimeout;
  private final String userAgent;

  /**
   * @param tls transport security; trust material is read here
   * @param executor runs call callbacks (null: gRPC's shared pool)
   * @param connectTimeout TCP connect timeout
   * @param userAgent the user-agent prefix
   * @throws java.io.UncheckedIOException if trust material cannot be read
   */
  public NettyChannelFactory(Tls tls, Executor executor, Duration connectTimeout, String userAgent) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.credentials = tls.toChannelCredentials();
    this.executor = executor;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    StaticNameResolverProvider.ensureRegistered();
  }

  @Override
  public ManagedChannel newChannel(String target) {
    String grpcTarget = Targets.toGrpcTarget(Targets.validate("target", target));
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(grpcTarget, credentials)
        .defaultLoadBalancingPolicy("round_robin")
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .userAgent(userAgent);
    if (executor != null) {
      builder.executor(executor);
    }
    if (tls.authority() != null) {
      builder.overrideAuthority(tls.authority());
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "NettyChannelFactory{" + tls + ", connectTimeout=" + connectTimeout + "}";
  }
}
