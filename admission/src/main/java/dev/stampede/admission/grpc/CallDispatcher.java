package dev.stampede.admission.grpc;

import java.util.concurrent.Executor;

/**
 * Where a queued call is started (or refused) once admission decides, which may be on another thread than the one
 * that received it. {@link #capture()} runs in {@code interceptCall}, on the thread the transport delivered the call
 * on, and returns an executor bound to that call's home (e.g. its Vert.x context in Quarkus, so that the rest of the
 * interceptor chain runs where it expects). Implementations are thread-safe.
 */
@FunctionalInterface
public interface CallDispatcher {
  /** Runs queued calls' starts on the thread that admits them (plain grpc-java servers). */
  CallDispatcher DIRECT = () -> Runnable::run;

  /** The executor for the call being intercepted on the current thread. */
  Executor capture();
}
