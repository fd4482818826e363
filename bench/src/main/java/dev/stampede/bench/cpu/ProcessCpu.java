package dev.stampede.bench.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of one process and of each of its threads, read from {@code /proc} (Linux): the process total from
 * {@code /proc/<pid>/stat} (user + system clock ticks, including threads that have exited), and per thread from
 * {@code /proc/<pid>/task/<tid>/schedstat} (nanoseconds on CPU) or, where that is missing, the thread's
 * {@code stat}. Thread names are the kernel's {@code comm} (the first 15 bytes of the Java thread name). Thread-safe.
 */
public final class ProcessCpu {
  /** {@code USER_HZ}: the unit of {@code utime}/{@code stime}; 100 on every mainstream Linux build. */
  static final long TICKS_PER_SECOND = 100;

  private final Path proc;

  private ProcessCpu(Path proc) {
    this.proc = proc;
  }

  /** The process {@code pid}. */
  public static ProcessCpu of(long pid) {
    return new ProcessCpu(Path.of("/proc", Long.toString(pid)));
  }

  /** This JVM. */
  public static ProcessCpu self() {
    return of(ProcessHandle.current().pid());
  }

  /** Whether {@code /proc} can be read here. */
  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  /**
   * Reads the counters now.
   *
   * @throws IllegalStateException if the process does not exist (any more) or {@code /proc} is not readable
   */
  public Snapshot snapshot() {
    try {
      long total = ticksToNanos(parseStat(Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII)));
      Map<Long, ThreadCpu> threads = new HashMap<>();
      try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
        tasks.forEach(task -> readThread(task).ifPresent(t -> threads.put(t.tid, t)));
      }
      return new Snapshot(System.nanoTime(), total, threads);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + proc + ": " + e.getMessage(), e);
    }
  }

  private static java.util.Optional<ThreadCpu> readThread(Path task) {
    try {
      long tid = Long.parseLong(task.getFileName().toString());
      String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
      long nanos;
      Path schedstat = task.resolve("schedstat");
      if (Files.isReadable(schedstat)) {
        nanos = parseSchedstat(Files.readString(schedstat, StandardCharsets.US_ASCII));
      } else {
        nanos = ticksToNanos(parseStat(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII)));
      }
      return java.util.Optional.of(new ThreadCpu(tid, name, nanos));
    } catch (NoSuchFileException gone) {
      return java.util.Optional.empty(); // the thread exited while we listed them
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** utime + stime in clock ticks from a {@code stat} line (the command name may contain spaces and parens). */
  static long parseStat(String stat) {
    String afterName = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = afterName.trim().split("\\s+");
    // Field 3 (state) is f[0]; utime is field 14 and stime field 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Time on CPU in nanoseconds: the first field of {@code schedstat}. */
  static long parseSchedstat(String schedstat) {
    return Long.parseLong(schedstat.trim().split("\\s+")[0]);
  }

  private static long ticksToNanos(long ticks) {
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** One thread's CPU time. */
  public static final class ThreadCpu {
    final long tid;
    final String name;
    final long nanos;

    ThreadCpu(long tid, String name, long nanos) {
      this.tid = tid;
      this.name = name;
      this.nanos = nanos;
    }

    public long tid() {
      return tid;
    }

    public String name() {
      return name;
    }

    public long nanos() {
      return nanos;
    }
  }

  /** Counters at one moment. Immutable. */
  public static final class Snapshot {
    private final long takenNanos;
    private final long totalNanos;
    private final Map<Long, ThreadCpu> threads;

    Snapshot(long takenNanos, long totalNanos, Map<Long, ThreadCpu> threads) {
      this.takenNanos = takenNanos;
      this.totalNanos = totalNanos;
      this.threads = Collections.unmodifiableMap(threads);
    }

    /** Process CPU (all threads, also exited ones), 10 ms resolution. */
    public long totalNanos() {
      return totalNanos;
    }

    public Map<Long, ThreadCpu> threads() {
      return threads;
    }

    /**
     * CPU used since {@code before} by the threads whose name {@code include} accepts (threads alive at both
     * moments, plus threads started since), in nanoseconds.
     */
    public long threadNanosSince(Snapshot before, Predicate<String> include) {
      long sum = 0;
      for (ThreadCpu t : threads.values()) {
        if (!include.test(t.name)) {
          continue;
        }
        ThreadCpu old = before.threads.get(t.tid);
        sum += t.nanos - (old == null ? 0 : old.nanos);
      }
      return sum;
    }

    /** Process CPU used since {@code before}, in nanoseconds. */
    public long totalNanosSince(Snapshot before) {
      return totalNanos - before.totalNanos;
    }

    /** Wall time between the two snapshots, in nanoseconds. */
    public long wallNanosSince(Snapshot before) {
      return takenNanos - before.takenNanos;
    }
  }
}
