package dev.stampede.directory.it;

import dev.stampede.api.directory.v1.WatchEvent;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects a Watch stream's events and its end. */
final class WatchRecorder implements StreamObserver<WatchEvent> {
  final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> end = new CompletableFuture<>();

  @Override
  public void onNext(WatchEvent value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    end.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end.complete(Status.OK);
  }

  /** The next event, failing after {@code seconds}. */
  WatchEvent next(int seconds) {
    try {
      WatchEvent e = events.poll(seconds, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no watch event within " + seconds + " s (stream end: " + end.getNow(null) + ")");
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Skips events until one matches, failing after {@code seconds} in total. */
  WatchEvent until(java.util.function.Predicate<WatchEvent> match, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        WatchEvent e = events.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no matching watch event within " + seconds + " s");
        }
        if (match.test(e)) {
          return e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
