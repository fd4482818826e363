package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.SloMetric;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.Sampler;
import dev.stampede.chaos.timeline.StormRecorder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The summary of a run: the {@link Recovery} metrics and every other {@link SloMetric}, each possibly without a
 * value ({@code null}: a ratio of a run that never recovered, a latency of an RPC that never succeeded).
 *
 * @param recovery the recovery metrics of DESIGN §6
 * @param values every SLO metric's value
 */
public record RunSummary(Recovery recovery, Map<SloMetric, Double> values) {

  /** Copies the map. */
  public RunSummary {
    EnumMap<SloMetric, Double> copy = new EnumMap<>(SloMetric.class);
    copy.putAll(values);
    values = copy;
  }

  /** A metric's value, or {@code null}. */
  public Double value(SloMetric metric) {
    return values.get(metric);
  }

  /**
   * Builds the summary from what the run recorded.
   *
   * @param recovery the recovery metrics
   * @param recorder the storm's record
   * @param sampler the timeline (for latencies since the trigger)
   * @param t0Nanos the trigger
   */
  public static RunSummary of(Recovery recovery, StormRecorder recorder, Sampler sampler, long t0Nanos) {
    long end = t0Nanos + Math.round((recovery.recovered() ? recovery.t99S() : recovery.observedS()) * 1e9);
    Map<SloMetric, Double> v = new EnumMap<>(SloMetric.class);
    v.put(SloMetric.RECOVERY_RATIO, recovery.recoveryRatio());
    v.put(SloMetric.T99_S, recovery.t99S());
    v.put(SloMetric.BOUND_S, recovery.boundS());
    v.put(SloMetric.T_READY_S, recovery.tReadyS());
    v.put(SloMetric.RECOVERED, recovery.recovered() ? 1.0 : 0.0);
    v.put(SloMetric.ATTEMPTS_PER_CLIENT, recovery.attemptsPerClient());
    v.put(SloMetric.GOODPUT_RATIO_DURING_STORM, recovery.goodputRatioDuringStorm());
    v.put(SloMetric.LOGIN_ATTEMPTS, (double) Math.round(recorder.attempts(Rpc.LOGIN, t0Nanos, end)));
    v.put(SloMetric.RESUME_ATTEMPTS, (double) Math.round(recorder.attempts(Rpc.RESUME, t0Nanos, end)));
    double all = 0;
    double errors = 0;
    for (Rpc rpc : Rpc.values()) {
      for (Outcome o : Outcome.values()) {
        double n = recorder.outcomes(rpc, o, t0Nanos, end);
        all += n;
        if (o.isError()) {
          errors += n;
        }
      }
    }
    v.put(SloMetric.ERROR_RATIO, all > 0 ? errors / all : null);
    put(v, SloMetric.P50_LOGIN_MS, SloMetric.P99_LOGIN_MS, sampler.percentilesSinceTrigger(Rpc.LOGIN, end));
    put(v, SloMetric.P50_RESUME_MS, SloMetric.P99_RESUME_MS, sampler.percentilesSinceTrigger(Rpc.RESUME, end));
    put(v, SloMetric.P50_REGISTER_MS, SloMetric.P99_REGISTER_MS,
        sampler.percentilesSinceTrigger(Rpc.REGISTER, end));
    v.put(SloMetric.P99_HEARTBEAT_MS,
        sampler.percentilesSinceTrigger(Rpc.HEARTBEAT, end).map(p -> p[1]).orElse(null));
    return new RunSummary(recovery, v);
  }

  private static void put(Map<SloMetric, Double> v, SloMetric p50, SloMetric p99, Optional<double[]> p) {
    v.put(p50, p.map(x -> x[0]).orElse(null));
    v.put(p99, p.map(x -> x[1]).orElse(null));
  }
}
