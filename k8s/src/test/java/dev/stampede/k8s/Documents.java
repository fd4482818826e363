package dev.stampede.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML as Jackson trees: what a manifest file or {@code kubectl kustomize} contains. */
final class Documents {
  static final ObjectMapper YAML = new YAMLMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  static final ObjectMapper JSON = new ObjectMapper();

  private Documents() {
  }

  /** Every non-empty document of a file; each must be a mapping. */
  static List<ObjectNode> read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of YAML text. */
  static List<ObjectNode> parse(String text, String source) {
    List<ObjectNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
        .readValues(new YAMLFactory().createParser(text))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new IllegalArgumentException(source + ": a document is not a mapping");
        }
        out.add((ObjectNode) doc);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** {@code apiVersion/kind/namespace/name} of a resource. */
  static String id(JsonNode doc) {
    JsonNode meta = doc.path("metadata");
    String name = meta.hasNonNull("name") ? meta.get("name").asText() : meta.path("generateName").asText() + "*";
    return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText() + "/"
        + meta.path("namespace").asText("") + "/" + name;
  }
}
