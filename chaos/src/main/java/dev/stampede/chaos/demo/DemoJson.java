package dev.stampede.chaos.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.chaos.metrics.Recovery;
import dev.stampede.chaos.report.ReportJson;
import dev.stampede.chaos.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --json FILE} output of {@code ./stampede demo}, exactly as issue #8 specifies it:
 * {@code clients}, {@code window_s}, {@code report_html}, then one object per run ({@code unprotected},
 * {@code admission_only}, {@code protected}) with {@code admission}, {@code profile}, {@code capacity_per_s},
 * {@code t_ready_s}, {@code bound_s}, {@code observed_s}, {@code recovered}, {@code t99_s}, {@code recovery_ratio},
 * {@code attempts_per_client}, {@code goodput_ratio_during_storm} — nothing more, {@code null} where a run has no
 * value.
 *
 * <p>Stateless and thread-safe.
 */
public final class DemoJson {
  /** The run labels, in order. */
  public static final List<String> RUNS = List.of("unprotected", "admission_only", "protected");

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The document.
   *
   * @param clients N
   * @param windowS W
   * @param reportHtml the path of the HTML report
   * @param runs the runs, labelled as in {@link #RUNS}
   */
  public ObjectNode toJson(int clients, double windowS, Path reportHtml, List<RunReport> runs) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("clients", clients);
    root.put("window_s", windowS);
    root.put("report_html", reportHtml.toAbsolutePath().toString());
    for (RunReport r : runs) {
      if (!RUNS.contains(r.setup().label())) {
        throw new IllegalArgumentException("label: '" + r.setup().label() + "' (expected one of: " + RUNS + ")");
      }
      Recovery rec = r.summary().recovery();
      ObjectNode o = root.putObject(r.setup().label());
      o.put("admission", r.setup().admission());
      o.put("profile", r.setup().profile().id());
      o.put("capacity_per_s", round(rec.capacityPerS()));
      o.put("t_ready_s", round(rec.tReadyS()));
      o.put("bound_s", round(rec.boundS()));
      o.put("observed_s", round(rec.observedS()));
      o.put("recovered", rec.recovered());
      nullable(o, "t99_s", rec.t99S());
      nullable(o, "recovery_ratio", rec.recoveryRatio());
      o.put("attempts_per_client", round(rec.attemptsPerClient()));
      nullable(o, "goodput_ratio_during_storm", rec.goodputRatioDuringStorm());
    }
    return root;
  }

  /** Writes the document atomically. */
  public void write(int clients, double windowS, Path reportHtml, List<RunReport> runs, Path file)
      throws IOException {
    ReportJson.writeAtomically(file, MAPPER.writeValueAsString(toJson(clients, windowS, reportHtml, runs)) + "\n");
  }

  private static void nullable(ObjectNode o, String field, Double v) {
    if (v == null || !Double.isFinite(v)) {
      o.putNull(field);
    } else {
      o.put(field, round(v));
    }
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
