package dev.stampede.bench.auth;

import dev.stampede.bench.QuarkusJars;
import dev.stampede.bench.load.LoopbackChannel;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.localstack.ServiceJvm;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * auth-service as a child process for the benchmarks (through {@code localstack}): fresh random token keys and admin
 * credential per run (nothing committed, DESIGN §7), SeedAccounts enabled, and the benchmark's settings as
 * environment variables.
 */
final class AuthServer implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JavaApp app;
  private final String adminCredential;

  private AuthServer(JavaApp app, String adminCredential) {
    this.app = app;
    this.adminCredential = adminCredential;
  }

  /**
   * auth-service's runnable jar: {@code auth-service/target/quarkus-app/quarkus-run.jar} under
   * {@code -Dstampede.home}, else under the working directory or its parent.
   *
   * @throws IllegalStateException if it is not built, saying how to build it
   */
  static Path locateJar() {
    return QuarkusJars.locate("auth-service", "auth-service");
  }

  /**
   * Starts auth-service on {@code redisUri} with extra environment {@code env} and waits until it is ready.
   *
   * @throws IllegalStateException if it is not ready within 90 s
   */
  static AuthServer start(String name, String redisUri, Path jar, Map<String, String> env) {
    String admin = "bench-" + randomKey();
    JavaApp app = JavaApp.builder(name)
        .jar(Objects.requireNonNull(jar, "jar"))
        .jvmArgs("-Xmx512m")
        .jvmArgs(ServiceJvm.options("auth").toArray(String[]::new))
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env("STAMPEDE_REDIS_URI", redisUri)
        .env("STAMPEDE_TOKEN_KEYS_AUTH", "a1:" + randomKey())
        .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", "d1:" + randomKey())
        .env("STAMPEDE_TOKEN_KEYS_RELAY", "r1:" + randomKey())
        .env("STAMPEDE_AUTH_ADMIN_CREDENTIAL", admin)
        .env("STAMPEDE_AUTH_ADMIN_SEED_ENABLED", "true")
        .env(env)
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .build();
    app.start();
    try {
      app.awaitReady(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      app.stop(Duration.ofSeconds(5));
      throw e;
    }
    return new AuthServer(app, admin);
  }

  ManagedChannel channel() {
    return LoopbackChannel.open(app.port("grpc"));
  }

  long pid() {
    return app.pid();
  }

  /** Creates the accounts {@code prefix + i}, i in [0, count), with one password, through SeedAccounts. */
  void seed(ManagedChannel channel, String prefix, int count, String password) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminCredential);
    io.grpc.Channel admin = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    for (int first = 0; first < count; first += 10_000) {
      int n = Math.min(10_000, count - first);
      byte[] request = AuthWire.seed(prefix, first, n, password);
      byte[] answer = Calls.obeyingPushback("SeedAccounts",
          () -> Calls.call(admin, AuthWire.SEED, request, Duration.ofSeconds(120)));
      if (AuthWire.seeded(answer) != n) {
        throw new IllegalStateException("SeedAccounts answered for " + AuthWire.seeded(answer) + " of " + n);
      }
    }
  }

  @Override
  public void close() {
    app.stop(Duration.ofSeconds(30));
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
