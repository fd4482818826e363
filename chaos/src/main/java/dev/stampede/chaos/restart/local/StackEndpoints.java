package dev.stampede.chaos.restart.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a local stack listens, in the JSON shape of DESIGN §7 that tools read:
 * {@code {"redis":"redis://127.0.0.1:P","auth":["127.0.0.1:P1",...],"directory":[...],"relay":[...]}} — gRPC
 * {@code host:port}s per service, {@code []} for a service that is not running.
 *
 * @param redis the Redis URI
 * @param grpc the gRPC endpoints per service, standard services first
 */
public record StackEndpoints(String redis, Map<String, List<String>> grpc) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the map, keeping its order. */
  public StackEndpoints {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    grpc.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    grpc = java.util.Collections.unmodifiableMap(copy);
  }

  /** The JSON text (one line). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("redis", redis);
    grpc.forEach((service, endpoints) -> {
      ArrayNode list = root.putArray(service);
      endpoints.forEach(list::add);
    });
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the JSON to {@code file} atomically: a temporary file in the same directory, then a rename, so a
   * reader sees either no file or the whole of it.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public void writeAtomically(Path file) {
    AtomicFiles.write(file, toJson() + "\n", false);
  }

  /**
   * Parses the JSON that {@link #toJson()} writes.
   *
   * @throws IllegalArgumentException if the text is not such JSON
   */
  public static StackEndpoints parse(String json) {
    try {
      var root = JSON.readTree(json);
      if (root == null || !root.isObject() || !root.path("redis").isTextual()) {
        throw new IllegalArgumentException("endpoints: expected an object with a \"redis\" string");
      }
      Map<String, List<String>> grpc = new LinkedHashMap<>();
      var fields = root.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        if (e.getKey().equals("redis")) {
          continue;
        }
        if (!e.getValue().isArray()) {
          throw new IllegalArgumentException("endpoints: " + e.getKey() + " (expected: a list of host:port)");
        }
        List<String> list = new java.util.ArrayList<>();
        e.getValue().forEach(n -> list.add(n.asText()));
        grpc.put(e.getKey(), list);
      }
      return new StackEndpoints(root.get("redis").asText(), grpc);
    } catch (IOException e) {
      throw new IllegalArgumentException("endpoints: not JSON: " + e.getMessage(), e);
    }
  }
}
