package dev.stampede.chaos.scrape;

import java.util.Map;
import java.util.Objects;

/**
 * One sample of the Prometheus text exposition format: {@code name{labels} value}.
 *
 * @param name the metric name, e.g. {@code stampede_admission_rejected_total}
 * @param labels the labels (unordered; empty when none)
 * @param value the value ({@code NaN} and infinities as in the format)
 */
public record MetricSample(String name, Map<String, String> labels, double value) {

  /** Copies the labels. */
  public MetricSample {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
  }

  /** A label's value, or {@code null}. */
  public String label(String key) {
    return labels.get(key);
  }
}
