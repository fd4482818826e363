package dev.stampede.admission.quarkus;

import dev.stampede.admission.grpc.CallDispatcher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Starts queued calls on the Vert.x context that received them, so that Quarkus' own gRPC interceptors (duplicated
 * context, request context, blocking dispatch), which run after admission, find the context they expect.
 */
final class VertxCallDispatcher implements CallDispatcher {
  @Override
  public Executor capture() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Runnable::run;
    }
    return task -> context.runOnContext(ignored -> task.run());
  }
}
