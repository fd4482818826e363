package dev.stampede.chaos.restart.local;

import dev.stampede.localstack.ServiceJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * How to run one service of a {@link LocalStack}: its name (the {@code app.kubernetes.io/name} label), how to
 * launch it, and where its gRPC endpoint is.
 *
 * <p>Every replica gets its own free loopback HTTP port ({@code QUARKUS_HTTP_PORT}, readiness at
 * {@code /q/health/ready}) and, when the service runs Quarkus' separate gRPC server, its own gRPC port
 * ({@code QUARKUS_GRPC_SERVER_PORT}). {@link #quarkus} reads the app's packaged {@code application.properties}
 * to tell which: with {@code quarkus.grpc.server.use-separate-server=false} gRPC is served on the HTTP port.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceSpec {

  /** The standard services of Stampede, in start order. */
  public static final List<String> STANDARD = List.of("auth", "directory", "relay");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");

  private final String name;
  private final Path jar;
  private final String classpath;
  private final String mainClass;
  private final boolean grpcOnHttpPort;
  private final String readinessPath;
  private final Map<String, String> env;
  private final List<String> jvmArgs;

  private ServiceSpec(String name, Path jar, String classpath, String mainClass, boolean grpcOnHttpPort,
      String readinessPath, Map<String, String> env, List<String> jvmArgs) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("service name: '" + name
          + "' (expected: lower-case alphanumerics and '-', at most 32 characters)");
    }
    this.name = name;
    this.jar = jar;
    this.classpath = classpath;
    this.mainClass = mainClass;
    this.grpcOnHttpPort = grpcOnHttpPort;
    this.readinessPath = Objects.requireNonNull(readinessPath, "readinessPath");
    this.env = Map.copyOf(env);
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /**
   * A Quarkus service packaged as {@code quarkus-app/quarkus-run.jar}.
   *
   * @throws IllegalArgumentException if the jar does not exist
   */
  public static ServiceSpec quarkus(String name, Path quarkusRunJar) {
    if (!Files.isRegularFile(quarkusRunJar)) {
      throw new IllegalArgumentException(name + ": " + quarkusRunJar + " does not exist (build it first)");
    }
    return new ServiceSpec(name, quarkusRunJar, null, null, usesVertxGrpcServer(quarkusRunJar), "/q/health/ready",
        Map.of(), List.of());
  }

  /**
   * The standard service {@code name} of a Stampede checkout, if its jar is built:
   * {@code <home>/<name>-service/target/quarkus-app/quarkus-run.jar}, with the service's JVM options
   * ({@link ServiceJvm}).
   */
  public static Optional<ServiceSpec> standard(Path home, String name) {
    Path jar = home.resolve(name + "-service").resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    return Files.isRegularFile(jar) ? Optional.of(quarkus(name, jar).withJvmArgs(ServiceJvm.options(name)))
        : Optional.empty();
  }

  /**
   * Any Java program run as {@code java -cp classpath mainClass}, e.g. a test app; it must listen on the ports it
   * is given through {@code QUARKUS_HTTP_PORT} and {@code QUARKUS_GRPC_SERVER_PORT}.
   */
  public static ServiceSpec mainClass(String name, String classpath, String mainClass) {
    return new ServiceSpec(name, null, Objects.requireNonNull(classpath, "classpath"),
        Objects.requireNonNull(mainClass, "mainClass"), false, "/q/health/ready", Map.of(), List.of());
  }

  /** This spec with extra environment variables for every replica. */
  public ServiceSpec withEnv(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(env);
    merged.putAll(extra);
    return new ServiceSpec(name, jar, classpath, mainClass, grpcOnHttpPort, readinessPath, merged, jvmArgs);
  }

  /** This spec with extra JVM arguments (e.g. {@code -Xmx256m}). */
  public ServiceSpec withJvmArgs(List<String> args) {
    List<String> all = new java.util.ArrayList<>(jvmArgs);
    all.addAll(args);
    return new ServiceSpec(name, jar, classpath, mainClass, grpcOnHttpPort, readinessPath, env, all);
  }

  /** The service name, e.g. {@code auth}. */
  public String name() {
    return name;
  }

  /** The jar for {@code java -jar}, if launched that way. */
  public Optional<Path> jar() {
    return Optional.ofNullable(jar);
  }

  /** The class path for {@code java -cp}, if launched that way. */
  public Optional<String> classpath() {
    return Optional.ofNullable(classpath);
  }

  /** The main class for {@code java -cp}, if launched that way. */
  public Optional<String> mainClass() {
    return Optional.ofNullable(mainClass);
  }

  /** Whether gRPC is served on the HTTP port (Quarkus' Vert.x gRPC server) rather than a separate one. */
  public boolean grpcOnHttpPort() {
    return grpcOnHttpPort;
  }

  /** The readiness path on the HTTP port. */
  public String readinessPath() {
    return readinessPath;
  }

  /** Extra environment of every replica. */
  public Map<String, String> env() {
    return env;
  }

  /** Extra JVM arguments of every replica. */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  @Override
  public String toString() {
    return name + " (" + (jar != null ? jar : mainClass) + ")";
  }

  /** Reads {@code quarkus.grpc.server.use-separate-server} from the packaged application.properties. */
  static boolean usesVertxGrpcServer(Path quarkusRunJar) {
    Path appDir = quarkusRunJar.resolveSibling("app");
    if (!Files.isDirectory(appDir)) {
      return false;
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(appDir, "*.jar")) {
      for (Path jarPath : jars) {
        try (JarFile jarFile = new JarFile(jarPath.toFile())) {
          var entry = jarFile.getJarEntry("application.properties");
          if (entry == null) {
            continue;
          }
          Properties props = new Properties();
          try (InputStream in = jarFile.getInputStream(entry)) {
            props.load(in);
          }
          return "false".equalsIgnoreCase(props.getProperty("quarkus.grpc.server.use-separate-server", "true").trim());
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
