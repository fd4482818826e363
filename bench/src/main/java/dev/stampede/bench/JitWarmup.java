package dev.stampede.bench;

import dev.stampede.bench.cpu.ProcessCpu;
import dev.stampede.bench.load.LoadGenerator;
import dev.stampede.bench.load.Operation;
import dev.stampede.bench.load.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Warms a server process up until its JIT compilers have gone quiet, so that a benchmark's window measures the
 * compiled server and not the compiler. A fixed few seconds are not enough for a Quarkus service: 9–19 s after the
 * load started, auth's C2 compiler threads still used half a core, and auth's resume read 750 µs of server CPU per
 * call; after 40 s it read 115 µs (and the anchor 62 instead of 196).
 *
 * <p>Load runs in steps of {@link #STEP}; after each, the server's compiler threads' CPU over the step is compared
 * with the step's wall time. The warm-up ends after the first step in which they used at most {@link #QUIET} of one
 * core, or when {@code max} has passed (the result says which). Not thread-safe.
 */
public final class JitWarmup {
  /** Kernel names of HotSpot's compiler threads ({@code comm} keeps 15 bytes of "C2 CompilerThread0"). */
  public static final Predicate<String> COMPILERS = n -> n.startsWith("C1 Compiler") || n.startsWith("C2 Compiler");
  public static final Duration STEP = Duration.ofSeconds(2);
  /** Share of one core below which the compilers count as quiet. */
  public static final double QUIET = 0.05;
  /** The longest a full benchmark run waits for the compilers. */
  public static final Duration FULL_RUN_MAX = Duration.ofSeconds(60);

  /**
   * What a warm-up did.
   *
   * @param elapsed how long the load ran
   * @param quiet whether the compilers went quiet (false: {@code max} passed first, or no warm-up was asked for)
   * @param compilerShare the compilers' share of one core in the last step (NaN without one)
   */
  public record Result(Duration elapsed, boolean quiet, double compilerShare) {
    /** {@link #elapsed()} in seconds, for the reports' {@code jit_warmup_s}. */
    public double seconds() {
      return elapsed.toMillis() / 1000.0;
    }

    /** A line for the benchmark's output. */
    public String describe() {
      if (elapsed.isZero()) {
        return "no JIT warm-up";
      }
      return String.format(java.util.Locale.ROOT, "JIT warm-up %.0f s, %s (compilers at %.0f %% of a core)",
          seconds(), quiet ? "compilers quiet" : "compilers still busy", compilerShare * 100);
    }
  }

  private JitWarmup() {
  }

  /**
   * A closed loop of {@code concurrency} {@code operation}s ({@link RetryPolicy#SDK} clients) on {@code server} until
   * its compilers are quiet.
   */
  public static Result closedLoop(ProcessCpu server, Duration max, int concurrency, Operation operation) {
    return run(server, max, step -> LoadGenerator.closedLoop(concurrency, operation).retry(RetryPolicy.SDK)
        .warmup(Duration.ZERO).duration(step).build().run());
  }

  /**
   * Runs {@code load} (called with the step's length) until the compilers of {@code server} are quiet or {@code max}
   * has passed; {@code max} zero: nothing.
   */
  public static Result run(ProcessCpu server, Duration max, Consumer<Duration> load) {
    Objects.requireNonNull(server, "server");
    if (max.isZero() || max.isNegative()) {
      return new Result(Duration.ZERO, false, Double.NaN);
    }
    Settling settling = new Settling(max.toNanos());
    ProcessCpu.Snapshot before = server.snapshot();
    while (true) {
      load.accept(STEP);
      ProcessCpu.Snapshot after = server.snapshot();
      boolean done = settling.step(after.threadNanosSince(before, COMPILERS), after.wallNanosSince(before));
      before = after;
      if (done) {
        return settling.result();
      }
    }
  }

  /** The decision alone, fed step by step (visible for tests). */
  static final class Settling {
    private final long maxNanos;
    private long elapsedNanos;
    private double share = Double.NaN;
    private boolean quiet;

    Settling(long maxNanos) {
      this.maxNanos = maxNanos;
    }

    /** One step: the compilers' CPU and the wall time it covered. Returns whether the warm-up is over. */
    boolean step(long compilerNanos, long wallNanos) {
      elapsedNanos += Math.max(0, wallNanos);
      share = wallNanos > 0 ? (double) Math.max(0, compilerNanos) / wallNanos : Double.NaN;
      quiet = share <= QUIET;
      return quiet || elapsedNanos >= maxNanos;
    }

    Result result() {
      return new Result(Duration.ofNanos(elapsedNanos), quiet, share);
    }
  }
}
