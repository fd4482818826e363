package dev.stampede.relay.allocation;

import dev.stampede.relay.domain.RelayException;
import java.time.Duration;

/**
 * Decides the retry delay of an overload answer ({@code CAPACITY_EXHAUSTED}, {@code DRAINING},
 * {@code DEPENDENCY_UNAVAILABLE}). The admission library's retry calendar plugs in here; until then a fixed delay.
 */
@FunctionalInterface
public interface Pushback {
  /** The delay to give a caller refused for {@code kind}. */
  Duration delay(RelayException.Kind kind);

  /** The same delay for every refusal. */
  static Pushback fixed(Duration delay) {
    return kind -> delay;
  }
}
