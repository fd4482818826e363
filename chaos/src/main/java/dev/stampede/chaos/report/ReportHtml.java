package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.Slo;
import dev.stampede.chaos.experiment.SloMetric;
import dev.stampede.chaos.metrics.OnlineTracker;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.scrape.ServerSecond;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.TimelineSample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders one or more runs as a self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched from the
 * network. Per run: online clients over time with the fault and reboot windows shaded and the bound as a reference
 * line; auth attempts vs successes vs rejections vs errors with the capacity C; latency percentiles; the servers'
 * admission limit and queue; the SLO verdicts and the fault journal. With several runs (the demo) the page opens
 * with a side-by-side table and one chart of every run's online clients.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportHtml {
  private static final String[] RUN_COLOURS = {SvgChart.VERMILLION, SvgChart.ORANGE, SvgChart.GREEN, SvgChart.BLUE,
      SvgChart.PURPLE};
  // The steady state just before the trigger is shown for context, not the whole ramp.
  private static final double CONTEXT_BEFORE_T0_S = 15;

  /** Renders the page. */
  public String render(String title, List<RunReport> runs) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(SvgChart.esc(title)).append("</title><style>").append(CSS).append("</style>")
        .append("</head><body><main>");
    h.append("<h1>").append(SvgChart.esc(title)).append("</h1>");
    h.append("<p class=\"meta\">Generated ").append(Instant.now().toString().substring(0, 19).replace('T', ' '))
        .append(" UTC. Times are seconds after the trigger t0 (pods killed, clients' reboot wave begins). ")
        .append("bound = max(W, t_ready) + N ÷ C; R = T99 ÷ bound; a run that is not back at 99 % within its ")
        .append("window did not recover.</p>");
    if (runs.size() > 1) {
      h.append(comparison(runs));
      h.append("<figure>").append(onlineOverlay(runs)).append("</figure>");
    }
    for (int i = 0; i < runs.size(); i++) {
      h.append(section(runs.get(i), runs.size() > 1 ? RUN_COLOURS[i % RUN_COLOURS.length] : SvgChart.BLUE));
    }
    h.append("</main></body></html>\n");
    return h.toString();
  }

  /** Writes the page atomically. */
  public void write(String title, List<RunReport> runs, Path file) throws IOException {
    ReportJson.writeAtomically(file, render(title, runs));
  }

  private static String comparison(List<RunReport> runs) {
    StringBuilder t = new StringBuilder("<table class=\"compare\"><thead><tr><th></th>");
    runs.forEach(r -> t.append("<th>").append(SvgChart.esc(r.setup().label())).append("</th>"));
    t.append("</tr></thead><tbody>");
    row(t, runs, "admission", r -> r.setup().admission() ? "on" : "off");
    row(t, runs, "client profile", r -> r.setup().profile().id());
    row(t, runs, "N (clients)", r -> Integer.toString(r.summary().recovery().clients()));
    row(t, runs, "C (" + "recoveries/s)", r -> num(r.summary().recovery().capacityPerS(), 1) + " ("
        + r.setup().mix().id() + ")");
    row(t, runs, "W / t_ready", r -> num(r.summary().recovery().windowS(), 1) + " s / "
        + num(r.summary().recovery().tReadyS(), 1) + " s");
    row(t, runs, "bound", r -> num(r.summary().recovery().boundS(), 1) + " s");
    row(t, runs, "recovered", r -> r.summary().recovery().recovered() ? "yes"
        : "<b class=\"bad\">no</b> (watched " + num(r.summary().recovery().observedS(), 0) + " s)");
    row(t, runs, "T99", r -> opt(r.summary().recovery().t99S(), 1, " s"));
    row(t, runs, "R = T99 ÷ bound", r -> opt(r.summary().recovery().recoveryRatio(), 2, ""));
    row(t, runs, "attempts per client", r -> num(r.summary().recovery().attemptsPerClient(), 2));
    row(t, runs, "goodput during storm", r -> opt(r.summary().recovery().goodputRatioDuringStorm(), 2, " × C"));
    row(t, runs, "verdict", r -> r.passed() ? "<b class=\"good\">PASS</b>" : "<b class=\"bad\">FAIL</b>");
    return t.append("</tbody></table>").toString();
  }

  private static void row(StringBuilder t, List<RunReport> runs, String name, Function<RunReport, String> cell) {
    t.append("<tr><th>").append(SvgChart.esc(name)).append("</th>");
    runs.forEach(r -> t.append("<td>").append(cell.apply(r)).append("</td>"));
    t.append("</tr>");
  }

  private static String onlineOverlay(List<RunReport> runs) {
    double end = runs.stream().mapToDouble(r -> r.summary().recovery().observedS()).max().orElse(1);
    SvgChart c = new SvgChart("Clients online again after the reboot (share of the population)",
        "seconds after t0", "% online");
    c.xRange(-Math.min(CONTEXT_BEFORE_T0_S, 5), end);
    for (int i = 0; i < runs.size(); i++) {
      RunReport r = runs.get(i);
      List<TimelineSample> t = r.timeline();
      double[] xs = t.stream().mapToDouble(r::relative).toArray();
      Double[] ys = t.stream().map(s -> 100.0 * s.recoveredOnline() / r.setup().population()).toArray(Double[]::new);
      c.series(r.setup().label(), RUN_COLOURS[i % RUN_COLOURS.length], xs, ys);
      c.vline(r.summary().recovery().boundS(), RUN_COLOURS[i % RUN_COLOURS.length],
          "bound " + r.setup().label());
    }
    c.hline(100 * OnlineTracker.RECOVERED_SHARE, SvgChart.GREY, "99 %");
    return c.render();
  }

  private static String section(RunReport r, String colour) {
    StringBuilder h = new StringBuilder("<section>");
    Recovery rec = r.summary().recovery();
    h.append("<h2>").append(SvgChart.esc(r.setup().label())).append(" <span class=\"verdict ")
        .append(r.passed() ? "good\">PASS" : "bad\">FAIL").append("</span></h2>");
    h.append("<p class=\"meta\">").append(SvgChart.esc(r.setup().experiment())).append(" · engine ")
        .append(SvgChart.esc(r.setup().engine())).append(" · admission ").append(r.setup().admission() ? "on" : "off")
        .append(" · profile ").append(r.setup().profile().id()).append(" · ").append(rec.clients())
        .append(" of ").append(r.setup().population()).append(" clients rebooted · started ")
        .append(r.startedAt().toString().substring(0, 19).replace('T', ' ')).append(" UTC</p>");
    if (!r.setup().description().isBlank()) {
      h.append("<p>").append(SvgChart.esc(r.setup().description())).append("</p>");
    }
    h.append(summaryTable(r));

    List<TimelineSample> t = r.timeline();
    double[] xs = t.stream().mapToDouble(r::relative).toArray();
    double x0 = Math.max(xs.length == 0 ? 0 : xs[0], -CONTEXT_BEFORE_T0_S);
    double x1 = Math.max(rec.observedS(), rec.boundS());

    SvgChart online = new SvgChart("Online clients (session and presence)", "seconds after t0", "clients")
        .xRange(x0, x1)
        .band(0, rec.windowS(), SvgChart.SKY, "clients rebooting (W)")
        .band(0, rec.tReadyS(), SvgChart.VERMILLION, "services restarting (t_ready)")
        .series("online", colour, xs, t.stream().map(s -> (double) s.online()).toArray(Double[]::new))
        .dashedSeries("back after their reboot", SvgChart.BLACK, xs,
            t.stream().map(s -> (double) s.recoveredOnline()).toArray(Double[]::new))
        .hline(Math.ceil(OnlineTracker.RECOVERED_SHARE * r.setup().population()), SvgChart.GREY, "99 %")
        .vline(rec.boundS(), SvgChart.BLACK, "bound " + num(rec.boundS(), 1) + " s");
    if (rec.recovered()) {
      online.vline(rec.t99S(), SvgChart.GREEN, "T99 " + num(rec.t99S(), 1) + " s");
    }
    h.append("<figure>").append(online.render()).append("</figure>");

    SvgChart rpcs = new SvgChart("Auth RPCs per second (log-in + resume)", "seconds after t0", "RPCs / s")
        .xRange(x0, x1)
        .band(0, rec.tReadyS(), SvgChart.VERMILLION, "services restarting")
        .series("attempts", SvgChart.BLUE, xs, t.stream().map(s -> (double) s.authAttempts()).toArray(Double[]::new))
        .series("successes", SvgChart.GREEN, xs,
            t.stream().map(s -> (double) s.authSuccesses()).toArray(Double[]::new))
        .series("rejected (pushback)", SvgChart.ORANGE, xs,
            t.stream().map(s -> (double) s.authRejected()).toArray(Double[]::new))
        .series("errors (timeouts, refused, other)", SvgChart.VERMILLION, xs,
            t.stream().map(s -> (double) s.authErrors()).toArray(Double[]::new))
        .hline(rec.capacityPerS(), SvgChart.BLACK, "C = " + num(rec.capacityPerS(), 1) + "/s")
        .vline(rec.boundS(), SvgChart.BLACK, "bound");
    h.append("<figure>").append(rpcs.render()).append("</figure>");

    SvgChart latency = new SvgChart("Latency of successful RPCs (per second)", "seconds after t0", "ms (log)")
        .logY().xRange(x0, x1).vline(rec.boundS(), SvgChart.BLACK, "bound");
    String[] colours = {SvgChart.BLUE, SvgChart.GREEN, SvgChart.PURPLE, SvgChart.ORANGE};
    for (Rpc rpc : Rpc.values()) {
      boolean any = t.stream().anyMatch(s -> s.rpc(rpc).p99Ms() != null);
      if (!any) {
        continue;
      }
      latency.series(rpc.id() + " p99", colours[rpc.ordinal()], xs,
          t.stream().map(s -> s.rpc(rpc).p99Ms()).toArray(Double[]::new));
      latency.dashedSeries(rpc.id() + " p50", colours[rpc.ordinal()], xs,
          t.stream().map(s -> s.rpc(rpc).p50Ms()).toArray(Double[]::new));
    }
    h.append("<figure>").append(latency.render()).append("</figure>");

    Set<String> services = new LinkedHashSet<>();
    t.forEach(s -> services.addAll(s.servers().keySet()));
    boolean anyServer = t.stream().flatMap(s -> s.servers().values().stream())
        .anyMatch(s -> s.limit() != null || s.queueLength() != null || s.inflight() != null);
    if (anyServer) {
      SvgChart server = new SvgChart("Servers: admission limit, in flight and queue (from /q/metrics)",
          "seconds after t0", "requests").xRange(x0, x1).band(0, rec.tReadyS(), SvgChart.VERMILLION,
          "services restarting");
      String[] sc = {SvgChart.BLUE, SvgChart.GREEN, SvgChart.PURPLE};
      int i = 0;
      for (String service : services) {
        String col = sc[i++ % sc.length];
        server.series(service + " limit", col, xs, column(t, service, ServerSecond::limit));
        server.dashedSeries(service + " queue", col, xs, column(t, service, ServerSecond::queueLength));
      }
      h.append("<figure>").append(server.render()).append("</figure>");
    }
    h.append(journal(r));
    return h.append("</section>").toString();
  }

  private static Double[] column(List<TimelineSample> t, String service, Function<ServerSecond, Double> f) {
    return t.stream().map(s -> s.servers().get(service)).map(s -> s == null ? null : f.apply(s))
        .toArray(Double[]::new);
  }

  private static String summaryTable(RunReport r) {
    Recovery rec = r.summary().recovery();
    StringBuilder t = new StringBuilder("<table class=\"summary\"><tbody>");
    kv(t, "N, clients that rebooted", Integer.toString(rec.clients()));
    kv(t, "W, reboot window", num(rec.windowS(), 2) + " s");
    kv(t, "t_ready, services ready again", num(rec.tReadyS(), 2) + " s");
    kv(t, "C, calibrated capacity (" + r.setup().mix().id() + " + register)", num(rec.capacityPerS(), 1) + " /s");
    kv(t, "bound = max(W, t_ready) + N ÷ C", num(rec.boundS(), 2) + " s");
    kv(t, "T99", rec.recovered() ? num(rec.t99S(), 2) + " s"
        : "not recovered within " + num(rec.observedS(), 0) + " s");
    kv(t, "R = T99 ÷ bound", opt(rec.recoveryRatio(), 3, ""));
    kv(t, "attempts per client", num(rec.attemptsPerClient(), 3));
    kv(t, "goodput during storm", opt(rec.goodputRatioDuringStorm(), 3, " × C"));
    t.append("</tbody></table>");
    if (!r.verdicts().isEmpty()) {
      t.append("<table class=\"slos\"><thead><tr><th>SLO</th><th>measured</th><th></th></tr></thead><tbody>");
      for (Slo.Verdict v : r.verdicts()) {
        SloMetric m = v.slo().metric();
        t.append("<tr><td><code>").append(SvgChart.esc(v.slo().toString())).append("</code></td><td>")
            .append(v.value() == null ? "no value" : num(v.value(), 3) + (m.unit().isEmpty() ? "" : " " + m.unit()))
            .append("</td><td>").append(v.held() ? "<b class=\"good\">holds</b>" : "<b class=\"bad\">fails</b>")
            .append("</td></tr>");
      }
      t.append("</tbody></table>");
    }
    return t.toString();
  }

  private static String journal(RunReport r) {
    if (r.journal().isEmpty()) {
      return "";
    }
    StringBuilder t = new StringBuilder("<details><summary>Fault journal (").append(r.journal().size())
        .append(" events)</summary><table class=\"journal\"><thead><tr><th>t (s)</th><th>engine</th>")
        .append("<th>event</th><th>target</th><th>outcome</th><th>detail</th></tr></thead><tbody>");
    for (FaultEvent e : r.journal()) {
      t.append("<tr><td>").append(num(e.tS(), 2)).append("</td><td>").append(SvgChart.esc(e.engine()))
          .append("</td><td>").append(SvgChart.esc(e.type())).append("</td><td>").append(SvgChart.esc(e.name()))
          .append("</td><td>").append(SvgChart.esc(e.outcome())).append("</td><td>")
          .append(SvgChart.esc(e.message())).append("</td></tr>");
    }
    return t.append("</tbody></table></details>").toString();
  }

  private static void kv(StringBuilder t, String k, String v) {
    t.append("<tr><th>").append(SvgChart.esc(k)).append("</th><td>").append(v).append("</td></tr>");
  }

  private static String opt(Double v, int digits, String unit) {
    return v == null ? "—" : num(v, digits) + unit;
  }

  static String num(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  private static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fafafa;margin:0}
      main{max-width:940px;margin:0 auto;padding:24px}
      h1{font-size:24px;margin:0 0 4px} h2{font-size:20px;margin:32px 0 4px;border-top:1px solid #ddd;padding-top:20px}
      .meta{color:#666;font-size:13px;margin:2px 0 12px}
      table{border-collapse:collapse;margin:10px 0 14px;font-size:14px;background:#fff}
      th,td{border:1px solid #ddd;padding:4px 10px;text-align:left} th{background:#f2f2f2;font-weight:600}
      table.compare td,table.summary td{text-align:right;font-variant-numeric:tabular-nums}
      .good{color:#00734f} .bad{color:#b83c00}
      .verdict{font-size:14px;padding:2px 8px;border-radius:4px;background:#eee;vertical-align:middle}
      figure{margin:12px 0 18px;background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:6px}
      svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#333}
      svg.chart .title{font-size:15px;font-weight:600} svg.chart .tick{font-size:11px;fill:#555}
      svg.chart .label{font-size:12px;fill:#444} svg.chart .legend{font-size:12px}
      svg.chart .band{font-size:11px;fill:#555} svg.chart .ref{font-size:11px;font-weight:600}
      svg.chart .grid{stroke:#e8e8e8;stroke-width:1} svg.chart .axis{stroke:#888;stroke-width:1}
      details{margin:8px 0} summary{cursor:pointer;color:#444}
      """;
}
