package dev.stampede.relay.it;

import dev.stampede.localstack.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.Map;
import dev.stampede.tokens.KeyRing;

/**
 * A free gRPC port for the app under test (the relay advertises its address, so it must know the port before the
 * server binds) and a fresh random relay token key, as local runs do.
 */
public final class GrpcPortResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of(
        "quarkus.grpc.server.test-port", Integer.toString(FreePorts.find()),
        KeyRing.CONFIG_PREFIX + "relay", KeyRing.randomSpec("k1", new SecureRandom()));
  }

  @Override
  public void stop() {
  }
}
