package dev.stampede.client.testing;

import dev.stampede.client.time.FakeClock;
import java.util.ArrayList;
import java.util.List;

/** Arrival times (fake clock) and requests of one fake RPC. Thread-safe. */
public final class Recorder<Q> {
  private final FakeClock clock;
  private final List<Long> arrivals = new ArrayList<>();
  private final List<Q> requests = new ArrayList<>();

  public Recorder(FakeClock clock) {
    this.clock = clock;
  }

  /** Records one arrival; returns its number (1 for the first). */
  public synchronized int record(Q request) {
    arrivals.add(clock.nanoTime());
    requests.add(request);
    return arrivals.size();
  }

  public synchronized int count() {
    return arrivals.size();
  }

  public synchronized List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  public synchronized List<Q> requests() {
    return List.copyOf(requests);
  }

  public synchronized Q last() {
    return requests.get(requests.size() - 1);
  }

  public synchronized void clear() {
    arrivals.clear();
    requests.clear();
  }
}
