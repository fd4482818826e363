package dev.stampede.chaos.restart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of journal events and results: what {@code stampede restart --json FILE} writes and experiment
 * reports embed.
 *
 * <pre>
 * {"engine": "kubernetes",
 *  "plan": {PlanSpec map},
 *  "result": {"namespace": "stampede", "seed": 42, "dry_run": false, "matched": 3, "picked": ["auth-..."],
 *             "acted": 3, "pdb_blocked": 0, "not_found": 0, "failed": 0, "skipped": 0, "aborted": false,
 *             "started_at": "...Z", "first_action_at": "...Z", "last_action_at": "...Z", "ready_at": "...Z",
 *             "t_ready_s": 4.2, "ready_timed_out": false, "summary": "..."},
 *  "events": [{"at": "2026-01-01T00:00:00.123Z", "engine": "kubernetes", "type": "kill", "namespace": "stampede",
 *              "name": "auth-...", "outcome": "ok", "wave": 0, "message": "..."}, ...]}
 * </pre>
 *
 * <p>Times are ISO-8601 UTC instants; absent values are {@code null}. Stateless and thread-safe.
 */
public final class JournalJson {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper LINE = new ObjectMapper();

  private JournalJson() {}

  /** One event as a JSON object. */
  public static ObjectNode event(JournalEvent e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("at", e.at().toString());
    n.put("engine", e.engine());
    n.put("type", e.type().id());
    n.put("namespace", e.namespace());
    n.put("name", e.name());
    n.put("outcome", e.outcome() == null ? null : e.outcome().id());
    n.put("wave", e.wave());
    n.put("message", e.message());
    return n;
  }

  /** Reads an event written by {@link #event}. */
  public static JournalEvent event(JsonNode n) {
    String outcome = text(n, "outcome");
    return new JournalEvent(Instant.parse(n.path("at").asText()), n.path("engine").asText(),
        JournalEvent.Type.valueOf(n.path("type").asText().toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
        text(n, "namespace"), text(n, "name"),
        outcome == null ? null : JournalEvent.Outcome.valueOf(outcome.toUpperCase(java.util.Locale.ROOT)
            .replace('-', '_')), n.path("wave").asInt(), text(n, "message"));
  }

  /** A result as a JSON object (without its plan). */
  public static ObjectNode result(RestartResult r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("namespace", r.namespace());
    n.put("seed", r.seed());
    n.put("dry_run", r.dryRun());
    n.put("matched", r.matched());
    r.picked().forEach(n.putArray("picked")::add);
    n.put("acted", r.acted());
    n.put("pdb_blocked", r.pdbBlocked());
    n.put("not_found", r.notFound());
    n.put("failed", r.failed());
    n.put("skipped", r.skipped());
    n.put("aborted", r.aborted());
    n.put("started_at", r.startedAt().toString());
    n.put("first_action_at", r.firstActionAt().map(Instant::toString).orElse(null));
    n.put("last_action_at", r.lastActionAt().map(Instant::toString).orElse(null));
    n.put("ready_at", r.readyAt().map(Instant::toString).orElse(null));
    if (r.timeToReady().isPresent()) {
      n.put("t_ready_s", r.timeToReady().get().toNanos() / 1e9);
    } else {
      n.putNull("t_ready_s");
    }
    n.put("ready_timed_out", r.readyTimedOut());
    n.put("summary", r.summary());
    return n;
  }

  /**
   * The whole document of one run.
   *
   * @param result the result, or {@code null} if the run failed before finishing
   * @param error a one-line error, or {@code null}
   */
  public static ObjectNode document(String engine, RestartPlan plan, RestartResult result, String error,
      List<JournalEvent> events) {
    ObjectNode root = JSON.createObjectNode();
    root.put("engine", engine);
    root.set("plan", JSON.valueToTree(PlanSpec.toMap(plan)));
    if (result == null) {
      root.putNull("result");
    } else {
      root.set("result", result(result));
    }
    root.put("error", error);
    events.forEach(e -> root.withArray("events").add(event(e)));
    if (events.isEmpty()) {
      root.putArray("events");
    }
    return root;
  }

  /** Pretty-printed JSON text of a node. */
  public static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One-line JSON text of a node. */
  public static String writeLine(JsonNode node) {
    try {
      return LINE.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON text into a tree. */
  public static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Plain maps, lists and values as a JSON tree. */
  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /** A JSON tree as plain maps and lists (for {@link PlanSpec#fromMap}). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode node) {
    return JSON.convertValue(node, Map.class);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
