package dev.stampede.chaos.restart;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The append-only record of what restart engines did, with timestamps: the fault timeline of an experiment
 * report and the {@code --json} output of {@code stampede restart}.
 *
 * <p>Thread-safe: engines, their background supervisors and readers may use one journal concurrently. Listeners
 * are called synchronously on the recording thread, in order, and must be quick (print, enqueue); a listener
 * that throws is not called again for that event but does not stop the recording.
 */
public final class Journal {

  private final List<JournalEvent> events = new ArrayList<>();
  private final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();

  /** Appends an event and tells the listeners. */
  public void record(JournalEvent event) {
    synchronized (events) {
      events.add(event);
    }
    for (Consumer<JournalEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        // A broken printer must not break a chaos run half-way.
      }
    }
  }

  /** Calls {@code listener} for every event recorded from now on. */
  public void subscribe(Consumer<JournalEvent> listener) {
    listeners.add(listener);
  }

  /** Stops calling {@code listener}. */
  public void unsubscribe(Consumer<JournalEvent> listener) {
    listeners.remove(listener);
  }

  /** A snapshot of the events so far, in recording order. */
  public List<JournalEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** A snapshot of the events of one type. */
  public List<JournalEvent> events(JournalEvent.Type type) {
    return events().stream().filter(e -> e.type() == type).toList();
  }
}
