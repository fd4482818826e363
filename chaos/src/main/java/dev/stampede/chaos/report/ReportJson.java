package dev.stampede.chaos.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.chaos.experiment.SloMetric;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.scrape.ServerSecond;
import dev.stampede.chaos.timeline.Rpc;
import dev.stampede.chaos.timeline.RpcSecond;
import dev.stampede.chaos.timeline.TimelineSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes a {@link RunReport} as {@code report.json}: {@code setup}, {@code summary} (the recovery metrics and every
 * SLO metric, {@code null} where a run has no value), {@code slos}, {@code verdict}, {@code phases},
 * {@code journal} and {@code timeline}. Every time is in seconds relative to t0 ({@code t_s}). Field names are
 * snake_case and stable: tools read them.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The report as a JSON tree. */
  public ObjectNode toJson(RunReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    RunSetup s = r.setup();
    root.put("experiment", s.experiment());
    root.put("label", s.label());
    root.put("description", s.description());
    root.put("engine", s.engine());
    root.put("started_at", r.startedAt().toString());
    ObjectNode setup = root.putObject("setup");
    setup.put("admission", s.admission());
    setup.put("profile", s.profile().id());
    setup.put("recovery_mix", s.mix().id());
    setup.put("population", s.population());
    setup.put("clients", s.clients());

    root.set("summary", summary(r.summary()));
    ArrayNode slos = root.putArray("slos");
    r.verdicts().forEach(v -> {
      ObjectNode o = slos.addObject();
      o.put("slo", v.slo().toString());
      o.put("metric", v.slo().metric().id());
      number(o, "value", v.value());
      o.put("held", v.held());
    });
    root.put("verdict", r.passed() ? "pass" : "fail");

    ArrayNode phases = root.putArray("phases");
    r.phases().forEach(p -> {
      ObjectNode o = phases.addObject();
      o.put("name", p.name());
      o.put("start_s", round(p.startS(), 3));
    });
    ArrayNode journal = root.putArray("journal");
    r.journal().forEach(e -> {
      ObjectNode o = journal.addObject();
      o.put("t_s", round(e.tS(), 3));
      o.put("at", e.at().toString());
      o.put("engine", e.engine());
      o.put("type", e.type());
      o.put("name", e.name());
      o.put("outcome", e.outcome());
      o.put("message", e.message());
    });
    ArrayNode timeline = root.putArray("timeline");
    r.timeline().forEach(t -> timeline.add(sample(r, t)));
    return root;
  }

  /** The summary object: the recovery metrics under their DESIGN §6 names, then every other SLO metric. */
  public ObjectNode summary(RunSummary summary) {
    ObjectNode o = MAPPER.createObjectNode();
    Recovery rec = summary.recovery();
    o.put("clients", rec.clients());
    o.put("window_s", round(rec.windowS(), 3));
    o.put("capacity_per_s", round(rec.capacityPerS(), 3));
    o.put("t_ready_s", round(rec.tReadyS(), 3));
    o.put("bound_s", round(rec.boundS(), 3));
    o.put("observed_s", round(rec.observedS(), 3));
    o.put("recovered", rec.recovered());
    number(o, "t99_s", rec.t99S());
    number(o, "recovery_ratio", rec.recoveryRatio());
    o.put("attempts_per_client", round(rec.attemptsPerClient(), 4));
    number(o, "goodput_ratio_during_storm", rec.goodputRatioDuringStorm());
    for (Map.Entry<SloMetric, Double> e : summary.values().entrySet()) {
      if (!o.has(e.getKey().id())) {
        number(o, e.getKey().id(), e.getValue());
      }
    }
    return o;
  }

  /** Writes the report to {@code file} atomically (temp file, then rename). */
  public void write(RunReport r, Path file) throws IOException {
    writeAtomically(file, MAPPER.writeValueAsString(toJson(r)));
  }

  /** Writes text to a file atomically, creating the parent directories. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private ObjectNode sample(RunReport r, TimelineSample t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("t_s", round(r.relative(t), 3));
    o.put("phase", t.phase());
    o.put("online", t.online());
    o.put("recovered_online", t.recoveredOnline());
    ObjectNode rpcs = o.putObject("rpcs");
    for (Rpc rpc : Rpc.values()) {
      RpcSecond s = t.rpc(rpc);
      ObjectNode x = rpcs.putObject(rpc.id());
      x.put("attempts", s.attempts());
      x.put("successes", s.successes());
      x.put("rejected", s.rejected());
      x.put("errors", s.errors());
      x.put("timeouts", s.timeouts());
      x.put("unreachable", s.unreachable());
      number(x, "p50_ms", s.p50Ms());
      number(x, "p99_ms", s.p99Ms());
    }
    ObjectNode servers = o.putObject("servers");
    for (Map.Entry<String, ServerSecond> e : t.servers().entrySet()) {
      ServerSecond s = e.getValue();
      ObjectNode x = servers.putObject(e.getKey());
      x.put("replicas", s.replicas());
      x.put("up", s.up());
      number(x, "limit", s.limit());
      number(x, "inflight", s.inflight());
      number(x, "queue_length", s.queueLength());
      number(x, "queue_ms", s.queueMs());
      number(x, "admitted_per_s", s.admittedPerS());
      number(x, "rejected_per_s", s.rejectedPerS());
    }
    return o;
  }

  static void number(ObjectNode o, String field, Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      o.putNull(field);
    } else {
      o.put(field, round(value, 4));
    }
  }

  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
