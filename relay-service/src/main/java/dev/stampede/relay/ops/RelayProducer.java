package dev.stampede.relay.ops;

import dev.stampede.admission.Admission;
import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.relay.RelayNode;
import dev.stampede.relay.config.RelayConfig;
import dev.stampede.relay.grpc.RelayEndpoint;
import dev.stampede.tokens.KeyRing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Builds this pod's {@link RelayNode} from configuration, on the admission library's shared Redis connection and
 * failure mapping, and declares the relay's method priorities for the admission interceptor. Missing or
 * contradictory settings fail the start with a message naming the key; a missing Redis does not (the pod waits for
 * it, not ready).
 */
public class RelayProducer {
  @Produces
  @Singleton
  MethodPolicies admissionPolicies() {
    return RelayEndpoint.methodPolicies();
  }

  @Produces
  @Singleton
  RelayNode relay(RelayConfig config, Config raw, SharedRedis redis, Admission admission, MeterRegistry registry) {
    String keys = raw.getOptionalValue(KeyRing.CONFIG_PREFIX + "relay", String.class).orElseThrow(() ->
        new IllegalStateException(KeyRing.CONFIG_PREFIX + "relay: not set (expected: <kid>:<base64url 32-byte key>"
            + "[,...], env STAMPEDE_TOKEN_KEYS_RELAY)"));
    return RelayNode.builder()
        .address(advertisedAddress(config, raw))
        .settings(config.toSettings())
        .redis(redis::async)
        .errors(admission.errors())
        .keyRing(KeyRing.parse("relay", keys))
        .meterRegistry(registry)
        .build();
  }

  void close(@Disposes RelayNode node) {
    node.close();
  }

  /** {@code stampede.relay.advertised-address}, else the advertised host and the gRPC port this launch uses. */
  static String advertisedAddress(RelayConfig config, Config raw) {
    if (config.advertisedAddress().isPresent()) {
      return config.advertisedAddress().get();
    }
    int port = grpcPort(raw);
    if (port == 0) {
      throw new IllegalStateException("stampede.relay.advertised-address: not set while the gRPC port is 0"
          + " (expected: the host:port clients reach this pod at)");
    }
    return config.advertisedHost() + ":" + port;
  }

  /** The port the gRPC server listens on in this launch mode. */
  static int grpcPort(Config raw) {
    String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.grpc.server.test-port" : "quarkus.grpc.server.port";
    return raw.getOptionalValue(key, Integer.class).orElse(9000);
  }
}
