package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.Profile;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.metrics.RecoveryCalculator;
import dev.stampede.chaos.scrape.ServerSecond;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.Sampler;
import dev.stampede.chaos.timeline.StormRecorder;
import dev.stampede.chaos.timeline.TimelineSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Synthetic runs for report tests: a protected recovery and a metastable one, recorded through the real pipeline. */
final class SyntheticRuns {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private SyntheticRuns() {
  }

  /**
   * N clients online from the start, all rebooting at t0 = 20 s; with {@code recovers}, clients come back evenly
   * from t_ready = 5 s to 15 s after t0 with one resume each; otherwise log-ins keep timing out for 60 s.
   */
  static RunReport run(String label, boolean recovers, List<Slo> slos) {
    int n = 200;
    long t0 = 20 * S;
    StormRecorder rec = new StormRecorder(n, 0);
    String[] phase = {"steady"};
    Sampler sampler = new Sampler(rec, null, () -> phase[0], () -> 0);
    for (int c = 0; c < n; c++) {
      rec.online().online(c, S);
      rec.online().scheduleReboot(c);
    }
    long now = 0;
    for (; now < t0; now += S) {
      sampler.sample(now + S);
    }
    phase[0] = "storm";
    rec.online().trigger(t0);
    for (int c = 0; c < n; c++) {
      rec.online().reboot(c, t0);
    }
    long end = t0 + 60 * S;
    if (recovers) {
      for (int c = 0; c < n; c++) {
        long at = t0 + 5 * S + c * 10 * S / n;
        rec.attempt(Rpc.RESUME, at);
        rec.result(Rpc.RESUME, Outcome.SUCCESS, at, at + 3 * MS);
        rec.attempt(Rpc.REGISTER, at + 3 * MS);
        rec.result(Rpc.REGISTER, Outcome.SUCCESS, at + 3 * MS, at + 5 * MS);
        rec.online().online(c, at + 5 * MS);
      }
    } else {
      for (long at = t0; at < end; at += 50 * MS) {
        rec.attempt(Rpc.LOGIN, at);
        rec.result(Rpc.LOGIN, Outcome.TIMEOUT, at, at + 5 * S);
      }
    }
    for (; now < end; now += S) {
      sampler.sample(now + S);
    }
    Recovery recovery = new RecoveryCalculator().compute(new RecoveryCalculator.Facts(n, t0, 2, 5,
        recovers ? 40 : 20, rec.online().t99(), end), rec.authCounts());
    RunSummary summary = RunSummary.of(recovery, rec, sampler, t0);
    List<Slo.Verdict> verdicts = slos.stream().map(s -> s.judge(summary.value(s.metric()))).toList();
    List<TimelineSample> timeline = new ArrayList<>();
    for (TimelineSample s : sampler.samples()) {
      // Servers as the admission metrics would show them.
      timeline.add(new TimelineSample(s.startS(), s.phase(), s.online(), s.recoveredOnline(), s.rpcs(),
          Map.of("auth", new ServerSecond(1, 1, 12.0, 4.0, recovers ? 0.0 : 800.0, 2.0, 30.0, 3.0))));
    }
    RunSetup setup = new RunSetup(label, "patch-tuesday", "Pods <and> clients restart together.", "local",
        recovers, recovers ? Profile.SDK : Profile.SKYPE2007, recovers ? RecoveryMix.RESUME : RecoveryMix.LOGIN, n,
        n);
    return new RunReport(setup, Instant.parse("2025-01-01T10:00:00Z"), 20, summary, verdicts,
        List.of(new PhaseMark("steady", -20), new PhaseMark("storm", 0)),
        List.of(new FaultEvent(0, Instant.parse("2025-01-01T10:00:20Z"), "local", "kill", "auth-1", "ok", "SIGKILL"),
            new FaultEvent(5, Instant.parse("2025-01-01T10:00:25Z"), "local", "ready", "auth-1", "ok", "")),
        timeline);
  }
}
