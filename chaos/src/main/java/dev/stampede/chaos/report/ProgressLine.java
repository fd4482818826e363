package dev.stampede.chaos.report;

import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.TimelineSample;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The live progress of a run on the terminal: phase, time since t0, clients online, auth rate (attempts, successes,
 * rejections, errors), resume/log-in p99 and the time left in the phase. On a terminal the line is rewritten in
 * place every second; otherwise (a log, CI) a full line is printed every {@code logEverySeconds}.
 *
 * <p>Called from the sampler thread; not meant for concurrent use otherwise.
 */
public final class ProgressLine {
  private final PrintWriter out;
  private final boolean interactive;
  private volatile int population;
  private final DoubleSupplier t0SinceStart;
  private final DoubleSupplier secondsLeft;
  private final int logEverySeconds;
  private int samples;
  private int lastWidth;

  /**
   * @param out where to print
   * @param interactive whether {@code out} is a terminal (rewrite the line in place)
   * @param population clients in the run, or 0 while the run has not chosen it
   * @param t0SinceStart the trigger's time after the start, or NaN before the trigger
   * @param secondsLeft the time left in the current phase, or NaN when unknown
   * @param logEverySeconds how often to print when not interactive
   */
  public ProgressLine(PrintWriter out, boolean interactive, int population, DoubleSupplier t0SinceStart,
      DoubleSupplier secondsLeft, int logEverySeconds) {
    this.out = out;
    this.interactive = interactive;
    this.population = population;
    this.t0SinceStart = t0SinceStart;
    this.secondsLeft = secondsLeft;
    this.logEverySeconds = Math.max(1, logEverySeconds);
  }

  /** The clients in the run from now on (a run that chose its N on its ramp). */
  public void population(int clients) {
    this.population = clients;
  }

  /** Shows one sample. */
  public void accept(TimelineSample s) {
    samples++;
    String line = format(s);
    if (interactive) {
      int pad = Math.max(0, lastWidth - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
      out.flush();
    } else if (samples % logEverySeconds == 0) {
      out.println(line);
      out.flush();
    }
  }

  /** Ends the in-place line (before other output). */
  public void finish() {
    if (interactive && lastWidth > 0) {
      out.println();
      out.flush();
      lastWidth = 0;
    }
  }

  /** The text of one sample's line. */
  public String format(TimelineSample s) {
    double t0 = t0SinceStart.getAsDouble();
    String when = Double.isNaN(t0) ? String.format(Locale.ROOT, "%6.0fs", s.startS() + 1)
        : String.format(Locale.ROOT, "t0%+6.0fs", s.startS() + 1 - t0);
    double left = secondsLeft.getAsDouble();
    Double p99 = s.rpc(Rpc.RESUME).p99Ms() != null ? s.rpc(Rpc.RESUME).p99Ms() : s.rpc(Rpc.LOGIN).p99Ms();
    int n = population;
    String online = n > 0 ? String.format(Locale.ROOT, "%d/%d (%.1f%%)", s.online(), n, 100.0 * s.online() / n)
        : s.online() + " (N not chosen yet)";
    return String.format(Locale.ROOT, "[%-11s %s] online %s | auth %d/s ok %d rej %d err %d | p99 %s%s",
        s.phase(), when, online, s.authAttempts(),
        s.authSuccesses(), s.authRejected(), s.authErrors(), p99 == null ? "-" : Math.round(p99) + "ms",
        Double.isNaN(left) ? "" : String.format(Locale.ROOT, " | %ds left", Math.round(Math.max(0, left))));
  }
}
