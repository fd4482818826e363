package dev.stampede.cli;

import dev.stampede.chaos.restart.JournalEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/** Prints journal events as aligned lines, with the time since the first event or the local wall-clock time. */
final class EventPrinter implements Consumer<JournalEvent> {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
      .withZone(ZoneId.systemDefault());

  private final PrintWriter out;
  private final boolean relative;
  private Instant first;

  EventPrinter(PrintWriter out, boolean relative) {
    this.out = out;
    this.relative = relative;
  }

  @Override
  public synchronized void accept(JournalEvent e) {
    if (first == null) {
      first = e.at();
    }
    String when = relative ? String.format(Locale.ROOT, "+%.3fs", Duration.between(first, e.at()).toNanos() / 1e9)
        : CLOCK.format(e.at());
    String target = e.name() == null ? (e.namespace() == null ? "" : e.namespace())
        : (e.namespace() == null ? e.name() : e.namespace() + "/" + e.name());
    out.printf(Locale.ROOT, "%-9s %-13s %-32s %-11s %s%n", when, e.type().id(), target,
        e.outcome() == null ? "" : e.outcome().id(), e.message() == null ? "" : e.message());
    out.flush();
  }
}
