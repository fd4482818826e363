package dev.stampede.bench.auth;

import dev.stampede.bench.load.UnaryCalls;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Async unary calls of raw-bytes auth methods, and blocking set-up calls that obey pushback. */
final class Calls {
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private Calls() {
  }

  /**
   * Runs a set-up call to completion, waiting out overload answers ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE})
   * for the server's {@code grpc-retry-pushback-ms} (100 ms without one), up to 50 attempts.
   *
   * @throws IllegalStateException naming {@code what} when it fails otherwise, or keeps being refused
   */
  static byte[] obeyingPushback(String what, Supplier<CompletableFuture<byte[]>> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get().get(120, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        Status status = Status.fromThrowable(e.getCause());
        boolean overload = status.getCode() == Status.Code.RESOURCE_EXHAUSTED
            || status.getCode() == Status.Code.UNAVAILABLE;
        if (!overload || attempt == 50) {
          throw new IllegalStateException(what + " failed: " + status, e.getCause());
        }
        sleep(pushbackMillis(e.getCause()));
      } catch (TimeoutException e) {
        throw new IllegalStateException(what + " did not finish", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + " interrupted", e);
      }
    }
  }

  private static long pushbackMillis(Throwable error) {
    Metadata trailers = Status.trailersFromThrowable(error);
    String value = trailers == null ? null : trailers.get(PUSHBACK);
    try {
      return value == null ? 100 : Math.min(5_000, Math.max(1, Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static CompletableFuture<byte[]> call(Channel channel, String method, byte[] request, Duration deadline) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(channel.newCall(UnaryCalls.rawMethod(method),
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)), request,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            result.complete(new byte[0]);
          }
        });
    return result;
  }
}
