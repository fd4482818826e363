package dev.stampede.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers every child process this JVM started so that none outlives it.
 *
 * <p>Each child gets a pid file under {@link #stateDir()} naming its owner (this JVM) and both processes' start times.
 * A shutdown hook stops every live child (SIGTERM, then SIGKILL after a grace period). When the owner dies without
 * running its hooks (SIGKILL), the next JVM that uses this class finds the stale pid file and kills the orphan — but
 * only if the pid still belongs to the same process (same start time), never a recycled pid.
 */
final class ChildRegistry {
  private static final System.Logger LOG = System.getLogger(ChildRegistry.class.getName());
  private static final Duration HOOK_GRACE = Duration.ofSeconds(10);
  private static final Map<Long, ProcessHandle> LIVE = new ConcurrentHashMap<>();

  static {
    reapStale();
    Runtime.getRuntime().addShutdownHook(new Thread(ChildRegistry::stopAll, "localstack-child-reaper"));
  }

  private ChildRegistry() {
  }

  /**
   * Directory for pid files: {@code STAMPEDE_STATE_DIR} or the system property {@code stampede.state-dir}, else
   * {@code $TMPDIR/stampede-localstack-$USER}.
   */
  static Path stateDir() {
    String configured = System.getProperty("stampede.state-dir", System.getenv("STAMPEDE_STATE_DIR"));
    Path dir = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("java.io.tmpdir"), "stampede-localstack-" + System.getProperty("user.name"));
    try {
      return Files.createDirectories(dir.resolve("pids"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + dir, e);
    }
  }

  /** Records a freshly started child. */
  static void register(Process process, String description) {
    ProcessHandle child = process.toHandle();
    LIVE.put(child.pid(), child);
    Properties props = new Properties();
    ProcessHandle self = ProcessHandle.current();
    props.setProperty("owner.pid", Long.toString(self.pid()));
    startOf(self).ifPresent(s -> props.setProperty("owner.start", s.toString()));
    props.setProperty("child.pid", Long.toString(child.pid()));
    startOf(child).ifPresent(s -> props.setProperty("child.start", s.toString()));
    props.setProperty("description", description);
    Path file = pidFile(child.pid());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      props.store(out, "child of " + self.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pid file " + tmp, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pid file " + file, e);
    }
  }

  /** Forgets a child that has exited. */
  static void unregister(long pid) {
    LIVE.remove(pid);
    try {
      Files.deleteIfExists(pidFile(pid));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete pid file of {0}: {1}", pid, e.getMessage());
    }
  }

  /** Kills children whose owner died without stopping them. Returns how many were killed. */
  static int reapStale() {
    int killed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir(), "*.pid")) {
      for (Path file : files) {
        if (reapIfStale(file)) {
          killed++;
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot scan pid files: {0}", e.getMessage());
    }
    return killed;
  }

  private static boolean reapIfStale(Path file) throws IOException {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      return false; // being written right now by another JVM, or gone
    }
    long ownerPid = Long.parseLong(props.getProperty("owner.pid", "-1"));
    if (sameProcessAlive(ownerPid, props.getProperty("owner.start"))) {
      return false;
    }
    long childPid = Long.parseLong(props.getProperty("child.pid", "-1"));
    boolean killed = false;
    if (sameProcessAlive(childPid, props.getProperty("child.start"))) {
      ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
      LOG.log(Level.WARNING, "killing orphan {0} (pid {1}) left by dead process {2}",
          props.getProperty("description"), childPid, ownerPid);
      child.destroyForcibly();
      killed = true;
    }
    Files.deleteIfExists(file);
    return killed;
  }

  private static boolean sameProcessAlive(long pid, String recordedStart) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    if (recordedStart == null) {
      return true;
    }
    return startOf(handle.get()).map(s -> s.toString().equals(recordedStart)).orElse(true);
  }

  private static Optional<Instant> startOf(ProcessHandle handle) {
    return handle.info().startInstant();
  }

  private static Path pidFile(long pid) {
    return stateDir().resolve(pid + ".pid");
  }

  private static void stopAll() {
    for (ProcessHandle child : LIVE.values()) {
      child.destroy();
    }
    long deadline = System.nanoTime() + HOOK_GRACE.toNanos();
    for (ProcessHandle child : LIVE.values()) {
      long left = deadline - System.nanoTime();
      try {
        child.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
      unregister(child.pid());
    }
  }
}
