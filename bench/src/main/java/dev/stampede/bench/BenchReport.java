package dev.stampede.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stampede.bench.load.LoadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON every {@code ./stampede bench NAME --json FILE} writes: at least
 * {@code {"name", "rps", "p50_ms", "p99_ms", "anchor_rps", "ratio"}} where a throughput is measured
 * ({@code ratio = rps / anchor_rps}, both measured in the same run), plus the benchmark's own fields, in insertion
 * order. Files are written atomically (temporary file, then rename), so a reader never sees half a report.
 * Not thread-safe.
 */
public final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> fields = new LinkedHashMap<>();

  private BenchReport(String name) {
    fields.put("name", name);
  }

  /** A report for benchmark {@code name} (e.g. {@code "resume"}). */
  public static BenchReport named(String name) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: [a-z0-9-]+)");
    }
    return new BenchReport(name);
  }

  /** Sets {@code rps}, {@code p50_ms} and {@code p99_ms} from a load run. */
  public BenchReport throughput(LoadResult result) {
    return throughput(result.rps(), result.p50Millis(), result.p99Millis());
  }

  public BenchReport throughput(double rps, double p50Millis, double p99Millis) {
    fields.put("rps", round(rps, 1));
    fields.put("p50_ms", round(p50Millis, 3));
    fields.put("p99_ms", round(p99Millis, 3));
    return this;
  }

  /**
   * Sets {@code anchor_rps} and {@code ratio} (this report's {@code rps} ÷ the anchor's).
   *
   * @throws IllegalStateException if {@link #throughput} was not set first
   */
  public BenchReport anchor(double anchorRps) {
    Object rps = fields.get("rps");
    if (rps == null) {
      throw new IllegalStateException("set the throughput before the anchor");
    }
    fields.put("anchor_rps", round(anchorRps, 1));
    fields.put("ratio", anchorRps > 0 ? round(((Number) rps).doubleValue() / anchorRps, 3) : null);
    return this;
  }

  /** Adds a benchmark-specific field (numbers, strings, booleans, lists and maps of them). */
  public BenchReport put(String field, Object value) {
    fields.put(Objects.requireNonNull(field, "field"), value instanceof Double ? round((Double) value, 3) : value);
    return this;
  }

  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  public String toJson() {
    return toJson(fields);
  }

  /** Writes the report to {@code file} atomically. */
  public void write(Path file) {
    write(file, fields);
  }

  /** Writes any JSON tree (for benchmarks whose shape is fixed elsewhere) to {@code file} atomically. */
  public static void write(Path file, Object tree) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, toJson(tree) + "\n");
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks before a long run that {@code file} can be written (its directory exists or can be created, and is
   * writable).
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static void checkWritable(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("--json: " + file + " is a directory (expected: a file path)");
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new IllegalArgumentException("--json: cannot write " + file + " (no writable directory " + dir + ")");
    }
  }

  static String toJson(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} rounded to {@code decimals} (NaN and infinities become null). */
  public static Number round(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    // A double, not a BigDecimal: stripped BigDecimals print round values in exponent form (1000 as 1E+3).
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
  }
}
