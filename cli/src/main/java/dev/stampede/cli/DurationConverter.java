package dev.stampede.cli;

import dev.stampede.chaos.restart.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 10s}, {@code 1m30s}; a bare number is seconds, as kubectl's {@code --grace-period}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    if (value.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      return Durations.parse(value, "duration");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' (expected: a duration such as 10s, 500ms or 1m30s)");
    }
  }
}
