package dev.stampede.cli;

import dev.stampede.chaos.restart.local.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** Reads {@code auth=2,directory=2,relay=1}: replicas per standard service, 0 to leave one out. */
final class ReplicaCounts implements CommandLine.ITypeConverter<ReplicaCounts.Counts> {
  static final int MAX = 16;

  /** The counts, in the order given (a type of its own, so picocli does not treat it as a map option). */
  record Counts(Map<String, Integer> map) {}

  @Override
  public Counts convert(String value) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String part : value.split(",", -1)) {
      String[] kv = part.trim().split("=", -1);
      if (kv.length != 2 || !ServiceSpec.STANDARD.contains(kv[0].trim()) || !kv[1].trim().matches("\\d{1,2}")) {
        throw new CommandLine.TypeConversionException("'" + part.trim() + "' (expected: SERVICE=COUNT with SERVICE one"
            + " of " + ServiceSpec.STANDARD + " and COUNT 0.." + MAX + ", e.g. auth=2,directory=2,relay=1)");
      }
      int n = Integer.parseInt(kv[1].trim());
      if (n > MAX) {
        throw new CommandLine.TypeConversionException("'" + part.trim() + "' (expected: at most " + MAX
            + " replicas of a service on one machine)");
      }
      if (out.put(kv[0].trim(), n) != null) {
        throw new CommandLine.TypeConversionException("'" + kv[0].trim() + "' is given twice");
      }
    }
    return new Counts(out);
  }
}
