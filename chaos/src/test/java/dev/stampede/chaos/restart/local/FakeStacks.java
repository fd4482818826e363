package dev.stampede.chaos.restart.local;

import dev.stampede.chaos.restart.local.testapp.FakeService;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Stacks of {@link FakeService} replicas for local-engine tests. */
final class FakeStacks {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private FakeStacks() {}

  /** A service named {@code name} run as {@code java -cp <test classes> FakeService}, small and quick to start. */
  static ServiceSpec fake(String name) {
    try {
      String classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
      return ServiceSpec.mainClass(name, classes, FakeService.class.getName())
          .withJvmArgs(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** GET {@code http://127.0.0.1:<port><path>}; the body, or null if nothing answers. */
  static String get(int port, String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
