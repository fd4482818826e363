package dev.stampede.chaos.experiment;

import java.util.Locale;

/**
 * How a virtual client behaves when it comes back (DESIGN §6). The behaviour itself lives in the storm
 * ({@code dev.stampede.chaos.storm.ClientProfile}); this is its name in experiment files and reports.
 */
public enum Profile {
  /** The client SDK's defaults: resume first, polite retries, pushback honoured. */
  SDK,
  /**
   * The clients of August 2007: a full password log-in on every return, a 5 s attempt timeout, a fixed 6 s retry
   * without jitter, pushback ignored, five tries then start over.
   */
  SKYPE2007;

  /** The spelling in files and JSON: {@code sdk}, {@code skype2007}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The auth RPC a returning client of this profile makes: what the calibration phase must measure. */
  public RecoveryMix recoveryMix() {
    return this == SDK ? RecoveryMix.RESUME : RecoveryMix.LOGIN;
  }

  /** The profile spelled {@code id}, or {@code null}. */
  public static Profile byId(String id) {
    for (Profile p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    return null;
  }
}
