package dev.stampede.relay.it;

import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test-side access to the app under test: its gRPC port, tokens it accepts, its HTTP endpoints. */
final class QuarkusClients {
  private QuarkusClients() {
  }

  static int grpcPort() {
    return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
  }

  static ManagedChannel channel() {
    return ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
  }

  static String token(String userId) {
    KeyRing ring = KeyRing.parse("relay",
        ConfigProvider.getConfig().getValue(KeyRing.CONFIG_PREFIX + "relay", String.class));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return SessionTokenMinter.of(List.of(ring))
        .mint(new SessionClaims(userId, "device-1", "s-" + userId, now, now.plusSeconds(600)));
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
