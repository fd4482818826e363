package dev.stampede.chaos.storm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated client of the storm: a state machine driven by timers and async RPC completions, never a thread of
 * its own. It reports every RPC to the recorder and its online/offline transitions to the online tracker.
 *
 * <p>Implementations are thread-safe.
 */
public interface VirtualClient {

  /** The client's identity. */
  ClientIdentity identity();

  /**
   * Comes online for the first time (the ramp): logs in, registers presence, then heartbeats.
   *
   * @return completes when the client is online for the first time
   */
  CompletableFuture<Void> comeOnline();

  /**
   * The client's machine reboots now: the client is offline at once, forgets everything but what its profile keeps
   * across restarts (the SDK keeps its resume ticket), and starts coming back after {@code bootTime}.
   */
  void reboot(Duration bootTime);

  /** Stops all activity for good (end of run); in-flight RPCs complete unobserved. */
  void stop();

  /**
   * What the client is doing, in a few words for a terminal (why a client that should be online is not): its
   * state and the last failure it saw. Never contains a secret.
   */
  default String describe() {
    return identity().toString();
  }
}
