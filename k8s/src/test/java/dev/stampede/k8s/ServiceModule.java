package dev.stampede.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service module of this checkout says about itself: its {@code application.properties} (ports, the Quarkus
 * shutdown timeout) and the configuration keys its README documents. Empty while the module is not in the
 * checkout (a branch without it).
 */
final class ServiceModule {
  /** Quarkus' defaults where application.properties sets nothing. */
  static final int QUARKUS_HTTP_PORT = 8080;
  static final int QUARKUS_GRPC_PORT = 9000;

  private static final Pattern KEY = Pattern.compile("\\b((?:stampede|quarkus)\\.[a-z0-9][a-z0-9.-]*[a-z0-9])");
  private static final Pattern ENV = Pattern.compile("\\b((?:STAMPEDE|QUARKUS)_[A-Z0-9_]+)\\b");

  final String service;
  final Path dir;
  private final Properties properties;
  private final Set<String> documentedEnv;

  private ServiceModule(String service, Path dir, Properties properties, Set<String> documentedEnv) {
    this.service = service;
    this.dir = dir;
    this.properties = properties;
    this.documentedEnv = documentedEnv;
  }

  /** The module {@code <service>-service}, if this checkout has it. */
  static Optional<ServiceModule> of(String service) {
    Path dir = Repo.root().resolve(service + "-service");
    Path props = dir.resolve("src/main/resources/application.properties");
    if (!Files.isRegularFile(props)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(props)));
      Set<String> env = new HashSet<>();
      StringBuilder docs = new StringBuilder(Files.readString(props));
      for (Path readme : new Path[] {dir.resolve("README.md"), Repo.root().resolve("admission/README.md"),
          Repo.root().resolve("tokens/README.md")}) {
        if (Files.isRegularFile(readme)) {
          docs.append('\n').append(Files.readString(readme));
        }
      }
      Matcher k = KEY.matcher(docs);
      while (k.find()) {
        env.add(toEnv(k.group(1)));
      }
      Matcher e = ENV.matcher(docs);
      while (e.find()) {
        env.add(e.group(1));
      }
      return Optional.of(new ServiceModule(service, dir, p, env));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment variable of a configuration key (MicroProfile Config: upper case, others → '_'). */
  static String toEnv(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** A property as the prod profile sees it. */
  Optional<String> property(String key) {
    String v = properties.getProperty("%prod." + key, properties.getProperty(key));
    return Optional.ofNullable(v).map(String::strip);
  }

  int httpPort() {
    return property("quarkus.http.port").map(Integer::parseInt).orElse(QUARKUS_HTTP_PORT);
  }

  /** The gRPC port: the separate server's, or the HTTP port when gRPC runs on the Vert.x server. */
  int grpcPort() {
    if (property("quarkus.grpc.server.use-separate-server").map(Boolean::parseBoolean).orElse(true)) {
      return property("quarkus.grpc.server.port").map(Integer::parseInt).orElse(QUARKUS_GRPC_PORT);
    }
    return httpPort();
  }

  /** {@code quarkus.shutdown.timeout}: how long Quarkus waits for requests in flight, if set. */
  Optional<Duration> shutdownTimeout() {
    return property("quarkus.shutdown.timeout").map(ServiceModule::duration);
  }

  /** Whether the module documents (README, application.properties) the configuration this variable sets. */
  boolean documents(String envName) {
    return documentedEnv.contains(envName);
  }

  /** A Quarkus duration: {@code 10s}, {@code 500ms}, {@code 2m}, ISO-8601, or plain seconds. */
  static Duration duration(String text) {
    String t = text.strip();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    if (t.matches("\\d+ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.matches("\\d+[smhd]")) {
      return Duration.parse((t.endsWith("d") ? "P" : "PT") + t.toUpperCase(Locale.ROOT));
    }
    return Duration.parse(t);
  }
}
