package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.metrics.Recovery;
import java.util.List;
import java.util.Locale;

/**
 * The summary table and verdict printed on the terminal at the end of a run, and the side-by-side table of the
 * demo. Plain text, fixed-width columns, no colours (it is also read in CI logs).
 *
 * <p>Stateless and thread-safe.
 */
public final class SummaryTable {

  /** The table of one run, ending with its verdict line. */
  public String render(RunReport r) {
    Recovery rec = r.summary().recovery();
    StringBuilder s = new StringBuilder();
    s.append(r.setup().experiment());
    if (!r.setup().label().equals(r.setup().experiment())) {
      s.append(" — ").append(r.setup().label());
    }
    s.append(String.format(Locale.ROOT, " (%s clients, admission %s, %s engine)%n", r.setup().profile().id(),
        r.setup().admission() ? "on" : "off", r.setup().engine()));
    line(s, "N, clients that rebooted", Integer.toString(rec.clients()), "");
    line(s, "W, reboot window", fmt(rec.windowS(), 2) + " s", "");
    line(s, "t_ready, services ready again", fmt(rec.tReadyS(), 2) + " s", "");
    line(s, "C, capacity (" + r.setup().mix().id() + " + register)", fmt(rec.capacityPerS(), 1) + " /s", "");
    line(s, "bound = max(W, t_ready) + N/C", fmt(rec.boundS(), 2) + " s", "");
    line(s, "T99", rec.recovered() ? fmt(rec.t99S(), 2) + " s"
        : "not recovered in " + fmt(rec.observedS(), 0) + " s", "");
    line(s, "R = T99 / bound", rec.recoveryRatio() == null ? "-" : fmt(rec.recoveryRatio(), 3), "");
    line(s, "attempts per client", fmt(rec.attemptsPerClient(), 3), "");
    line(s, "goodput during storm", rec.goodputRatioDuringStorm() == null ? "-"
        : fmt(rec.goodputRatioDuringStorm(), 3) + " x C", "");
    if (!r.verdicts().isEmpty()) {
      s.append(String.format(Locale.ROOT, "  %-36s %-14s %s%n", "SLO", "measured", ""));
      for (Slo.Verdict v : r.verdicts()) {
        String unit = v.slo().metric().unit();
        line(s, v.slo().toString(), v.value() == null ? "no value" : fmt(v.value(), 3) + (unit.isEmpty() ? ""
            : " " + unit), v.held() ? "PASS" : "FAIL");
      }
    }
    long held = r.verdicts().stream().filter(Slo.Verdict::held).count();
    s.append(String.format(Locale.ROOT, "verdict: %s (%d of %d SLOs hold)%n", r.passed() ? "PASS" : "FAIL", held,
        r.verdicts().size()));
    return s.toString();
  }

  /** The demo's runs side by side. */
  public String compare(List<RunReport> runs) {
    StringBuilder s = new StringBuilder();
    String fmt = "  %-28s" + " %18s".repeat(runs.size()) + "%n";
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "", r -> r.setup().label())));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "admission", r -> r.setup().admission() ? "on" : "off")));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "client profile", r -> r.setup().profile().id())));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "C, capacity /s",
        r -> fmt(r.summary().recovery().capacityPerS(), 1) + " " + r.setup().mix().id())));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "t_ready s",
        r -> fmt(r.summary().recovery().tReadyS(), 2))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "bound s", r -> fmt(r.summary().recovery().boundS(), 2))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "watched s",
        r -> fmt(r.summary().recovery().observedS(), 0))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "recovered",
        r -> r.summary().recovery().recovered() ? "yes" : "NO")));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "T99 s",
        r -> r.summary().recovery().t99S() == null ? "-" : fmt(r.summary().recovery().t99S(), 2))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "R = T99 / bound",
        r -> r.summary().recovery().recoveryRatio() == null ? "> " + fmt(r.summary().recovery().observedS()
            / r.summary().recovery().boundS(), 1) : fmt(r.summary().recovery().recoveryRatio(), 3))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "attempts per client",
        r -> fmt(r.summary().recovery().attemptsPerClient(), 2))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "goodput during storm",
        r -> r.summary().recovery().goodputRatioDuringStorm() == null ? "-"
            : fmt(r.summary().recovery().goodputRatioDuringStorm(), 3))));
    s.append(String.format(Locale.ROOT, fmt, labels(runs, "SLOs", r -> r.passed() ? "PASS" : "FAIL")));
    return s.toString();
  }

  private static Object[] labels(List<RunReport> runs, String name, java.util.function.Function<RunReport, String> f) {
    Object[] out = new Object[runs.size() + 1];
    out[0] = name;
    for (int i = 0; i < runs.size(); i++) {
      out[i + 1] = f.apply(runs.get(i));
    }
    return out;
  }

  private static void line(StringBuilder s, String name, String value, String verdict) {
    s.append(String.format(Locale.ROOT, "  %-36s %-14s %s", name, value, verdict).stripTrailing())
        .append(System.lineSeparator());
  }

  static String fmt(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
