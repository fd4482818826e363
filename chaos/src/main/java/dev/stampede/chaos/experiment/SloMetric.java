package dev.stampede.chaos.experiment;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The measured quantities an SLO can constrain (DESIGN §6). Ids are the spellings in experiment files and in the
 * {@code summary} of {@code report.json}. Latency percentiles are over the recovery interval [t0, T99] (or to the
 * end of the window when not recovered).
 */
public enum SloMetric {
  /** R = T99 ÷ bound. */
  RECOVERY_RATIO("recovery_ratio", ""),
  /** T99: seconds from t0 until 99 % of the clients are online again. */
  T99_S("t99_s", "s"),
  /** bound = max(W, t_ready) + N ÷ C, in seconds. */
  BOUND_S("bound_s", "s"),
  /** t_ready: seconds from t0 until every restarted service is ready again. */
  T_READY_S("t_ready_s", "s"),
  /** 1 when 99 % of the clients were online again before the window ended, else 0. */
  RECOVERED("recovered", ""),
  /** Auth RPCs (log-in + resume) sent during recovery ÷ N. */
  ATTEMPTS_PER_CLIENT("attempts_per_client", ""),
  /** Successful auth RPCs per second ÷ C over [t_ready, T99] (or to the end of the window). */
  GOODPUT_RATIO_DURING_STORM("goodput_ratio_during_storm", ""),
  /** Password log-ins sent during recovery. */
  LOGIN_ATTEMPTS("login_attempts", ""),
  /** Resumes sent during recovery. */
  RESUME_ATTEMPTS("resume_attempts", ""),
  /** Failed RPCs (neither success nor rejection with pushback) ÷ all RPCs, during recovery. */
  ERROR_RATIO("error_ratio", ""),
  /** Median log-in latency during recovery, ms. */
  P50_LOGIN_MS("p50_login_ms", "ms"),
  /** 99th percentile log-in latency during recovery, ms. */
  P99_LOGIN_MS("p99_login_ms", "ms"),
  /** Median resume latency during recovery, ms. */
  P50_RESUME_MS("p50_resume_ms", "ms"),
  /** 99th percentile resume latency during recovery, ms. */
  P99_RESUME_MS("p99_resume_ms", "ms"),
  /** Median presence registration latency during recovery, ms. */
  P50_REGISTER_MS("p50_register_ms", "ms"),
  /** 99th percentile presence registration latency during recovery, ms. */
  P99_REGISTER_MS("p99_register_ms", "ms"),
  /** 99th percentile heartbeat latency during recovery, ms. */
  P99_HEARTBEAT_MS("p99_heartbeat_ms", "ms");

  private final String id;
  private final String unit;

  SloMetric(String id, String unit) {
    this.id = id;
    this.unit = unit;
  }

  /** The spelling in files and JSON, e.g. {@code recovery_ratio}. */
  public String id() {
    return id;
  }

  /** The unit for display: {@code s}, {@code ms} or empty. */
  public String unit() {
    return unit;
  }

  /** The metric spelled {@code id}, or {@code null}. */
  public static SloMetric byId(String id) {
    for (SloMetric m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    return null;
  }

  /** Every id, comma-separated, for error messages. */
  public static String ids() {
    return Arrays.stream(values()).map(SloMetric::id).collect(Collectors.joining(", "));
  }
}
