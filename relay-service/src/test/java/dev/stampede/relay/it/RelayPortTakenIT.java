package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import dev.stampede.tokens.KeyRing;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The separate gRPC server logs an error and lets the app start when its port is taken (DESIGN §9). The relay must
 * not claim readiness then: its self-probe reaches the other listener, not its own server.
 */
@QuarkusTest
@TestProfile(RelayPortTakenIT.LongStartup.class)
@WithTestResource(RedisTestResource.class)
@WithTestResource(RelayPortTakenIT.TakenPort.class)
class RelayPortTakenIT {
  /** Long enough that the pod does not exit (by design) while the test looks at it. */
  public static final class LongStartup implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("stampede.relay.startup-timeout", "10m");
    }
  }

  /** Another listener on the gRPC port (accepts TCP, speaks no HTTP/2). */
  public static final class TakenPort implements QuarkusTestResourceLifecycleManager {
    private ServerSocket squatter;

    @Override
    public Map<String, String> start() {
      try {
        squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("quarkus.grpc.server.test-port", Integer.toString(squatter.getLocalPort()),
          KeyRing.CONFIG_PREFIX + "relay", KeyRing.randomSpec("k1", new SecureRandom()));
    }

    @Override
    public void stop() {
      try {
        squatter.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @TestHTTPResource("/q/health/ready")
  URI ready;

  @Test
  void portTaken_isNeverReady() throws Exception {
    // Give the probe several rounds; readiness must stay down throughout.
    Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
        .until(() -> QuarkusClients.get(ready).statusCode() == 503);
    HttpResponse<String> readiness = QuarkusClients.get(ready);
    assertThat(readiness.body()).contains("\"grpc\": false").contains("grpcProblem");
  }
}
