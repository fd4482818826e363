package dev.stampede.e2e;

import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.localstack.RedisServer;
import dev.stampede.tokens.KeyRing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Stampede on loopback: one private Redis (AOF on) and the packaged auth and directory services as child
 * processes, with fresh random token keys shared the way DESIGN §5 prescribes (auth holds every audience's key,
 * directory only its own). Closing it stops every process it started.
 */
final class Services implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final RedisServer redis;
  final JavaApp auth;
  final JavaApp directory;

  private Services(RedisServer redis, JavaApp auth, JavaApp directory) {
    this.redis = redis;
    this.auth = auth;
    this.directory = directory;
  }

  /** Starts Redis, auth and directory and waits until both services are ready. */
  static Services start() {
    SecureRandom random = new SecureRandom();
    String directoryKeys = KeyRing.randomSpec("d1", random);
    RedisServer redis = RedisServer.builder().appendOnly(true).build().start();
    List<JavaApp> started = new ArrayList<>();
    try {
      JavaApp auth = service("auth", redis.uri())
          .env("STAMPEDE_TOKEN_KEYS_AUTH", KeyRing.randomSpec("a1", random))
          .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", directoryKeys)
          .env("STAMPEDE_TOKEN_KEYS_RELAY", KeyRing.randomSpec("r1", random))
          .build();
      started.add(auth.start());
      JavaApp directory = service("directory", redis.uri())
          .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", directoryKeys)
          .build();
      started.add(directory.start());
      auth.awaitReady(READY);
      directory.awaitReady(READY);
      return new Services(redis, auth, directory);
    } catch (RuntimeException e) {
      started.forEach(JavaApp::close);
      redis.close();
      throw e;
    }
  }

  private static JavaApp.Builder service(String name, String redisUri) {
    return JavaApp.builder(name + "-e2e")
        .jar(jar(name))
        .jvmArgs("-Xmx256m", "-XX:+UseSerialGC")
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env("STAMPEDE_REDIS_URI", redisUri)
        .label("app.kubernetes.io/name", name)
        .readiness(Readiness.httpOk("http", "/q/health/ready"));
  }

  /** {@code <name>-service/target/quarkus-app/quarkus-run.jar} under the repository root. */
  static Path jar(String name) {
    Path home = Path.of(System.getProperty("stampede.home", "..")).toAbsolutePath().normalize();
    Path jar = home.resolve(name + "-service").resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the e2e tests run after the services are packaged"
          + " (mvn -B verify from the repository root)");
    }
    return jar;
  }

  String authTarget() {
    return "127.0.0.1:" + auth.port("grpc");
  }

  String directoryTarget() {
    return "127.0.0.1:" + directory.port("grpc");
  }

  /** The sum over every {@code purpose} of auth's {@code stampede_auth_password_hashes_total} right now. */
  double passwordHashes() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + auth.port("http") + "/q/metrics")).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("auth /q/metrics answered " + response.statusCode());
    }
    double sum = 0;
    boolean seen = false;
    for (String line : response.body().split("\n")) {
      if (line.startsWith("stampede_auth_password_hashes_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        seen = true;
      }
    }
    if (!seen) {
      throw new IllegalStateException("auth /q/metrics has no stampede_auth_password_hashes_total");
    }
    return sum;
  }

  @Override
  public void close() {
    try {
      directory.close();
      auth.close();
    } finally {
      redis.close();
    }
  }
}
