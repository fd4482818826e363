package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.timeline.TimelineSample;
import java.time.Instant;
import java.util.List;

/**
 * Everything a run produced: what it was, its summary and SLO verdicts, its phases, the fault journal and the
 * per-second timeline. {@link ReportJson} writes it as {@code report.json}, {@link ReportHtml} as charts.
 *
 * @param setup what the run was
 * @param startedAt when the run started (wall clock)
 * @param t0SinceStartS the trigger's time after the run's start, which timeline sample times are relative to
 * @param summary the measured metrics
 * @param verdicts one per SLO, in file order
 * @param phases the phases' starts
 * @param journal the fault events
 * @param timeline the per-second samples
 */
public record RunReport(RunSetup setup, Instant startedAt, double t0SinceStartS, RunSummary summary,
    List<Slo.Verdict> verdicts, List<PhaseMark> phases, List<FaultEvent> journal, List<TimelineSample> timeline) {

  /** Copies the lists. */
  public RunReport {
    verdicts = List.copyOf(verdicts);
    phases = List.copyOf(phases);
    journal = List.copyOf(journal);
    timeline = List.copyOf(timeline);
  }

  /** Whether every SLO held (true when there are none). */
  public boolean passed() {
    return verdicts.stream().allMatch(Slo.Verdict::held);
  }

  /** A timeline sample's start relative to t0, in seconds. */
  public double relative(TimelineSample s) {
    return s.startS() - t0SinceStartS;
  }
}
