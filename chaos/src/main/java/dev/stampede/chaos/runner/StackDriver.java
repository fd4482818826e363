package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.report.FaultEvent;
import dev.stampede.chaos.storm.ClientIdentity;
import dev.stampede.chaos.storm.ClientProfile;
import dev.stampede.chaos.storm.StormTimer;
import dev.stampede.chaos.storm.VirtualClient;
import dev.stampede.chaos.timeline.StormRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system under test as the {@link ExperimentRunner} needs it: a running stack (local processes or a
 * Kubernetes deployment) with its restart engine, the admin call that seeds accounts, the virtual clients' RPCs
 * and the calibration load. One implementation per engine; tests use an in-memory one.
 *
 * <p>Implementations are thread-safe: faults run on their own threads while clients and the sampler run.
 */
public interface StackDriver extends AutoCloseable {

  /** {@code local} or {@code kubernetes}. */
  String engine();

  /** Whether admission control is on in the stack (as configured, for the report). */
  boolean admission();

  /** The {@code /q/metrics} URLs of each service's replicas. */
  Map<String, List<URI>> metricsEndpoints();

  /**
   * Creates accounts {@code prefix + i} for i in [first, first + count) with one password, through auth's
   * {@code SeedAccounts}.
   *
   * @throws Exception when auth refuses or cannot be reached
   */
  void seed(String prefix, String password, int first, int count) throws Exception;

  /**
   * Measures C: recoveries ({@code mix} + presence registration) completed per second by
   * {@code calibration.concurrency()} calibration clients for {@code calibration.duration()}, after a warm-up.
   * Calibration clients use their own seeded accounts ({@code prefix + i}), never the population's.
   *
   * @throws Exception when nothing completes (a stack that cannot serve the mix)
   */
  double calibrate(RecoveryMix mix, Calibration calibration, String prefix, String password) throws Exception;

  /** A virtual client of the given profile on this stack. */
  VirtualClient client(ClientIdentity id, ClientProfile profile, StormTimer timer, StormRecorder recorder);

  /**
   * Runs a fault now and, if it asks for it, waits until its targets are ready again.
   *
   * @return what happened
   */
  FaultRun fault(Fault fault);

  /** Stops what the driver started (clients' channels; a local stack's processes). */
  @Override
  void close();

  /**
   * The outcome of one fault.
   *
   * @param actedAt when the first action was sent
   * @param timeToReady from the first action until the targets were ready again, if waited for and ready
   * @param readyTimedOut whether the wait ran out of time
   * @param events the journal entries, with absolute times
   */
  record FaultRun(Instant actedAt, Optional<Duration> timeToReady, boolean readyTimedOut, List<JournalEntry> events) {
    /** Copies the list. */
    public FaultRun {
      events = List.copyOf(events);
    }
  }

  /**
   * A journal entry with its absolute time, before it is placed relative to t0 as a {@link FaultEvent}.
   *
   * @param at when
   * @param engine the engine
   * @param type the event type
   * @param name the target
   * @param outcome the outcome
   * @param message the detail
   */
  record JournalEntry(Instant at, String engine, String type, String name, String outcome, String message) {
  }
}
