package dev.stampede.directory.health;

import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this process knows about its own serving: a random instance id (to recognise its own gRPC server on the
 * port), whether the self-probe has reached it, whether it is draining, and how many calls are in flight.
 * Thread-safe.
 */
@Singleton
public class ServingState {
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicInteger inflight = new AtomicInteger();
  private volatile boolean draining;
  private volatile boolean grpcServing;
  private volatile String grpcProblem = "not probed yet";

  /** A random id, sent back on health checks so that the self-probe knows it reached this process. */
  public String instanceId() {
    return instanceId;
  }

  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  public boolean grpcServing() {
    return grpcServing;
  }

  /** Why gRPC is not serving (for the readiness report), or {@code null}. */
  public String grpcProblem() {
    return grpcServing ? null : grpcProblem;
  }

  void grpcProbed(boolean serving, String problem) {
    this.grpcServing = serving;
    this.grpcProblem = problem;
  }

  /** Calls in flight. */
  public int inflight() {
    return inflight.get();
  }

  void callStarted() {
    inflight.incrementAndGet();
  }

  void callEnded() {
    inflight.decrementAndGet();
  }
}
