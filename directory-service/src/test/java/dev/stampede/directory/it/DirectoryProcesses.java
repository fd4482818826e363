package dev.stampede.directory.it;

import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The packaged directory ({@code target/quarkus-app/quarkus-run.jar}) as a child process: a pod on loopback. */
final class DirectoryProcesses {
  private DirectoryProcesses() {
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("directory.jar", "target/quarkus-app/quarkus-run.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: process tests run after `package` (mvn verify)");
    }
    return jar;
  }

  /** A directory pod named {@code name} on fresh ports, not started. */
  static JavaApp pod(String name, String redisUri, Map<String, String> env) {
    return JavaApp.builder(name)
        .jar(jar())
        .jvmArgs("-Xmx192m", "-XX:+UseSerialGC")
        .port("http", "QUARKUS_HTTP_PORT")
        .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
        .env("STAMPEDE_REDIS_URI", redisUri)
        .env("STAMPEDE_TOKEN_KEYS_DIRECTORY", TestTokens.DIRECTORY_KEYS)
        .env(env)
        .label("app.kubernetes.io/name", "directory")
        .label("app.kubernetes.io/part-of", "stampede")
        .readiness(Readiness.httpOk("http", "/q/health/ready"))
        .build();
  }
}
