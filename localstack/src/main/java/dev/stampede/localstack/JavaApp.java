package dev.stampede.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A Java application ({@code java -jar app.jar} or {@code java -cp … Main}) run as a child process on loopback
 * ports this object chooses once and keeps across restarts — what a pod is to Kubernetes, on one machine.
 *
 * <p>Ports are named ({@code "http"}, {@code "grpc"}) and handed to the app through environment variables (e.g.
 * {@code QUARKUS_HTTP_PORT}). Output goes to a log file, appended across restarts. The process is registered so
 * that it never outlives this JVM, even if this JVM is killed (the next one reaps it). Methods are synchronized.
 *
 * <pre>{@code
 * JavaApp auth = JavaApp.builder("auth-1")
 *     .jar(Path.of("auth-service/target/quarkus-app/quarkus-run.jar"))
 *     .port("http", "QUARKUS_HTTP_PORT")
 *     .port("grpc", "QUARKUS_GRPC_SERVER_PORT")
 *     .env("STAMPEDE_REDIS_URI", redis.uri())
 *     .readiness(Readiness.httpOk("http", "/q/health/ready"))
 *     .build();
 * auth.start().awaitReady(Duration.ofSeconds(60));
 * }</pre>
 */
public final class JavaApp implements AutoCloseable {
  /** Grace period of {@link #stop()}: SIGTERM, then SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);

  private final String name;
  private final List<String> command;
  private final Map<String, Integer> ports;
  private final Map<String, String> labels;
  private final Readiness readiness;
  private final Path logFile;
  private final ManagedProcess process;
  /** The AppCDS archive a Quarkus build leaves in {@code quarkus-app} when asked to. */
  static final String QUARKUS_CDS_ARCHIVE = "app-cds.jsa";
  private final List<Runnable> exitListeners = new ArrayList<>();

  private JavaApp(Builder b) {
    this.name = b.name;
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(b.ports));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.readiness = b.readiness;
    this.logFile = b.logFile != null ? b.logFile : ChildRegistry.stateDir().resolveSibling("logs").resolve(name + ".log");
    Map<String, String> env = new LinkedHashMap<>(b.env);
    b.portEnv.forEach((portName, envVar) -> env.put(envVar, Integer.toString(ports.get(portName))));
    List<String> cmd = new ArrayList<>();
    cmd.add(b.javaBinary.toString());
    cmd.addAll(b.jvmArgs);
    if (b.workingDirectory != null && Files.isRegularFile(b.workingDirectory.resolve(QUARKUS_CDS_ARCHIVE))) {
      cmd.add("-XX:SharedArchiveFile=" + QUARKUS_CDS_ARCHIVE);
    }
    b.systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    if (b.jar != null) {
      cmd.add("-jar");
      cmd.add(b.jar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(b.classpath);
      cmd.add(b.mainClass);
    }
    cmd.addAll(b.args);
    this.command = List.copyOf(cmd);
    this.process = new ManagedProcess(name, command, env, logFile, b.workingDirectory);
  }

  /** A builder for an app called {@code name} (used in logs, pid files and the default log file name). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Starts the process (does not wait for readiness).
   *
   * @throws IllegalStateException if it is already running
   */
  public synchronized JavaApp start() {
    process.start();
    Process started = process.process();
    started.onExit().thenRun(this::fireExit);
    return this;
  }

  /**
   * Waits until the app is ready.
   *
   * @throws IllegalStateException if the process exits first or {@code timeout} passes, with the tail of its log
   */
  public JavaApp awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      synchronized (this) {
        if (!process.isRunning()) {
          throw new IllegalStateException(name + " exited before it was ready:\n" + process.logTail(30));
        }
      }
      if (readiness.isReady(this)) {
        return this;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + process.logTail(30));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  /** Whether the process runs and its readiness check passes right now. */
  public boolean isReady() {
    return isRunning() && readiness.isReady(this);
  }

  /** SIGKILL, like a node losing power; waits until the process is gone. */
  public synchronized void kill() {
    process.kill();
  }

  /** SIGTERM, then SIGKILL after {@link #DEFAULT_STOP_GRACE}. */
  public void stop() {
    stop(DEFAULT_STOP_GRACE);
  }

  /** SIGTERM, then SIGKILL after {@code grace}. */
  public synchronized void stop(Duration grace) {
    process.stop(grace);
  }

  /** Stops the process if it runs and starts it again on the same ports. Does not wait for readiness. */
  public synchronized JavaApp restart() {
    process.stop(DEFAULT_STOP_GRACE);
    return start();
  }

  /** Runs {@code listener} (on some other thread) each time the process exits, for whatever reason. */
  public synchronized void onExit(Runnable listener) {
    exitListeners.add(listener);
  }

  private void fireExit() {
    List<Runnable> listeners;
    synchronized (this) {
      listeners = List.copyOf(exitListeners);
    }
    listeners.forEach(Runnable::run);
  }

  public synchronized boolean isRunning() {
    return process.isRunning();
  }

  /** The pid of the current (or last) process. */
  public synchronized long pid() {
    return process.pid();
  }

  /** A completion of the current process's exit. */
  public synchronized CompletableFuture<Process> exit() {
    return process.process().onExit();
  }

  public String name() {
    return name;
  }

  /**
   * The port named {@code portName}.
   *
   * @throws IllegalArgumentException if no such port was declared
   */
  public int port(String portName) {
    Integer port = ports.get(portName);
    if (port == null) {
      throw new IllegalArgumentException("port: " + portName + " (expected one of " + ports.keySet() + ")");
    }
    return port;
  }

  public Map<String, Integer> ports() {
    return ports;
  }

  /** Labels such as {@code app.kubernetes.io/name=auth}, for selecting replicas like pods. */
  public Map<String, String> labels() {
    return labels;
  }

  public Path logFile() {
    return logFile;
  }

  /** The command line (for logs; contains no secrets as long as secrets go through {@link Builder#env}). */
  public List<String> command() {
    return command;
  }

  /** Stops the process (SIGTERM, grace, SIGKILL). */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "JavaApp[" + name + " " + ports + "]";
  }

  /** Builds a {@link JavaApp}; ports are reserved at {@link #build()}. */
  public static final class Builder {
    private final String name;
    private Path jar;
    private String classpath;
    private String mainClass;
    private Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> portEnv = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Readiness readiness = Readiness.started();
    private Path logFile;
    private Path workingDirectory;

    private Builder(String name) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("name: '" + name + "' (expected: [A-Za-z0-9._-]+)");
      }
      this.name = name;
    }

    /** Runs {@code java -jar jar}. */
    public Builder jar(Path jar) {
      this.jar = Objects.requireNonNull(jar, "jar");
      return this;
    }

    /**
     * Runs a Quarkus fast-jar: {@code java -jar quarkus-run.jar} in its {@code quarkus-app} directory, with the
     * AppCDS archive the build may have left there ({@code app-cds.jsa}, built with
     * {@code -Dquarkus.package.jar.appcds.enabled=true}). The archive holds the JDK's parsed and verified copies of
     * the classes the app loads at start-up, which cuts a start's CPU by about a tenth; it records the class path
     * relative to that directory, hence the working directory. A JVM that cannot use the archive (another JDK
     * build) says so in the log and starts without it. The archive is read when the process starts.
     */
    public Builder quarkusApp(Path quarkusRunJar) {
      Path absolute = Objects.requireNonNull(quarkusRunJar, "quarkusRunJar").toAbsolutePath();
      this.workingDirectory = absolute.getParent();
      this.jar = absolute.getFileName();
      return this;
    }

    /** Runs {@code java -cp classpath mainClass}. */
    public Builder mainClass(String classpath, String mainClass) {
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
      return this;
    }

    /** The {@code java} executable; default the one running this JVM. */
    public Builder javaBinary(Path javaBinary) {
      this.javaBinary = javaBinary;
      return this;
    }

    public Builder jvmArgs(String... jvmArgs) {
      this.jvmArgs.addAll(List.of(jvmArgs));
      return this;
    }

    public Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    /** Program arguments after the jar or main class. */
    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** An environment variable of the child (in addition to this JVM's environment). */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** Declares a port named {@code portName} on a free loopback port, passed to the app as {@code envVar}. */
    public Builder port(String portName, String envVar) {
      return port(portName, envVar, 0);
    }

    /** Declares a port named {@code portName} on {@code port} (0 = a free one), passed to the app as {@code envVar}. */
    public Builder port(String portName, String envVar, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = any free port)");
      }
      ports.put(portName, port == 0 ? FreePorts.find() : port);
      portEnv.put(portName, envVar);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /** How {@link JavaApp#awaitReady} decides readiness; default: as soon as the process runs. */
    public Builder readiness(Readiness readiness) {
      this.readiness = Objects.requireNonNull(readiness, "readiness");
      return this;
    }

    /** Where stdout and stderr go (appended); default {@code <state dir>/logs/<name>.log}. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    public JavaApp build() {
      if ((jar == null) == (mainClass == null)) {
        throw new IllegalStateException("exactly one of jar(...) or mainClass(...) must be set for " + name);
      }
      return new JavaApp(this);
    }
  }
}
