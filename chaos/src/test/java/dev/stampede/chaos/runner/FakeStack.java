package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.chaos.storm.ClientIdentity;
import dev.stampede.chaos.storm.ClientProfile;
import dev.stampede.chaos.storm.RawCalls;
import dev.stampede.chaos.storm.Reply;
import dev.stampede.chaos.storm.Skype2007Client;
import dev.stampede.chaos.storm.StormTimer;
import dev.stampede.chaos.storm.VirtualClient;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.chaos.timeline.StormRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory stack for runner and demo tests: a server that answers in 2 ms while up and refuses connections
 * while a fault has it down (for 500 ms), fast clients (the 2007 state machine with 100 ms retries), and a fixed
 * calibrated capacity.
 */
public class FakeStack implements StackDriver, RawCalls {
  static final Duration DOWN_FOR = Duration.ofMillis(500);
  private final boolean admission;

  /** A stack with admission on. */
  public FakeStack() {
    this(true);
  }

  /** A stack reporting admission on or off. */
  public FakeStack(boolean admission) {
    this.admission = admission;
  }

  public volatile boolean up = true;
  public final AtomicInteger seeded = new AtomicInteger();
  public final AtomicInteger faults = new AtomicInteger();
  public String calibratedPrefix;
  StormTimer timer;

  @Override
  public String engine() {
    return "fake";
  }

  @Override
  public boolean admission() {
    return admission;
  }

  @Override
  public Map<String, List<URI>> metricsEndpoints() {
    return Map.of();
  }

  @Override
  public void seed(String prefix, String password, int first, int count) {
    seeded.addAndGet(count);
  }

  @Override
  public double calibrate(RecoveryMix mix, Calibration calibration, String prefix, String password) {
    calibratedPrefix = prefix;
    return 500;
  }

  @Override
  public VirtualClient client(ClientIdentity id, ClientProfile profile, StormTimer t, StormRecorder recorder) {
    this.timer = t;
    return new Skype2007Client(id, new ClientProfile.Skype2007(Duration.ofSeconds(1), Duration.ofMillis(100), 5,
        Duration.ZERO), this, t, recorder);
  }

  @Override
  public FaultRun fault(Fault fault) {
    faults.incrementAndGet();
    Instant at = Instant.now();
    up = false;
    try {
      Thread.sleep(DOWN_FOR.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    up = true;
    Instant ready = Instant.now();
    return new FaultRun(at, Optional.of(Duration.between(at, ready)), false, List.of(
        new JournalEntry(at, "fake", "kill", "auth-1", "ok", ""),
        new JournalEntry(ready, "fake", "ready", "auth-1", "ok", "")));
  }

  @Override
  public void close() {
  }

  private <T> CompletableFuture<Reply<T>> answer(T value) {
    CompletableFuture<Reply<T>> f = new CompletableFuture<>();
    if (!up) {
      f.complete(Reply.failed(Outcome.UNREACHABLE, "UNAVAILABLE", -1));
    } else {
      timer.schedule(2_000_000, () -> f.complete(up ? Reply.ok(value)
          : Reply.failed(Outcome.UNREACHABLE, "UNAVAILABLE", -1)));
    }
    return f;
  }

  @Override
  public CompletableFuture<Reply<Grant>> login(int c, String u, String p, String d, Duration deadline) {
    return answer(new Grant("u" + c, "token", "ticket"));
  }

  @Override
  public CompletableFuture<Reply<Lease>> register(int c, String token, Duration deadline) {
    return answer(new Lease("lease-" + c, Duration.ofSeconds(30)));
  }

  @Override
  public CompletableFuture<Reply<Void>> heartbeat(int c, String token, String lease, Duration deadline) {
    return answer(null);
  }

  @Override
  public void reconnect(int c) {
  }
  }
