package dev.stampede.directory.it;

import dev.stampede.localstack.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Configures a {@code @QuarkusTest} directory: the test's random token keys, free gRPC and HTTP ports, and (init
 * argument {@code leaseTtl}) a short lease TTL. Combine with {@code RedisTestResource}.
 */
public final class DirectoryTestResource implements QuarkusTestResourceLifecycleManager {
  /** Set by {@link #start()}: where the service under test listens. */
  public static volatile int grpcPort;
  public static volatile int httpPort;

  private final Map<String, String> extra = new HashMap<>();

  @Override
  public void init(Map<String, String> initArgs) {
    if (initArgs.containsKey("leaseTtl")) {
      extra.put("stampede.directory.lease.ttl", initArgs.get("leaseTtl"));
    }
    if (initArgs.containsKey("expiryGrace")) {
      extra.put("stampede.directory.watch.expiry-grace", initArgs.get("expiryGrace"));
    }
  }

  @Override
  public Map<String, String> start() {
    grpcPort = FreePorts.find();
    httpPort = FreePorts.find();
    Map<String, String> config = new HashMap<>(extra);
    config.put("stampede.token.keys.directory", TestTokens.DIRECTORY_KEYS);
    config.put("quarkus.grpc.server.test-port", Integer.toString(grpcPort));
    config.put("quarkus.http.test-port", Integer.toString(httpPort));
    config.put("stampede.directory.relay-target", "dns:///relay.test:9000");
    return config;
  }

  @Override
  public void stop() {
  }
}
