package dev.stampede.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child process with its output appended to a log file, registered with {@link ChildRegistry} while it runs.
 * Not thread-safe on its own; owners synchronise.
 */
final class ManagedProcess {
  private final String description;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path logFile;
  private final Path workingDirectory;
  private Process process;

  /** @param workingDirectory where the child runs, or null for this JVM's working directory */
  ManagedProcess(String description, List<String> command, Map<String, String> env, Path logFile,
      Path workingDirectory) {
    this.description = description;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.workingDirectory = workingDirectory;
  }

  void start() {
    if (isRunning()) {
      throw new IllegalStateException(description + " is already running (pid " + process.pid() + ")");
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.environment().putAll(env);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    try {
      Files.createDirectories(logFile.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + description + ": " + e.getMessage(), e);
    }
    Process started = process;
    ChildRegistry.register(started, description);
    started.onExit().thenRun(() -> ChildRegistry.unregister(started.pid()));
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  long pid() {
    if (process == null) {
      throw new IllegalStateException(description + " was never started");
    }
    return process.pid();
  }

  Process process() {
    return process;
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
  void stop(Duration grace) {
    if (!isRunning()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    awaitExit(Duration.ofSeconds(10));
  }

  private void awaitExit(Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      ChildRegistry.unregister(process.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(description + " (pid " + process.pid() + ") did not exit", e);
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  String logTail(int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "";
      }
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
