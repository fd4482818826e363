package dev.stampede.bench.auth;

import dev.stampede.bench.load.Operation;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resume tickets of many devices, for a closed loop of Resume calls: each call takes a ticket, and puts back the
 * rotated one it gets. A call refused with {@code RESOURCE_EXHAUSTED} did no work, so its ticket goes back; a ticket
 * whose call failed otherwise may have been spent (its answer lost), so it is dropped, never retried (a retry would
 * count as re-use and revoke its family). Thread-safe.
 */
final class TicketPool {
  /** A device's current ticket. */
  record Credential(String ticket, String deviceId) {
  }

  private final ConcurrentLinkedQueue<Credential> tickets = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final int capacity;

  TicketPool(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a ticket unless the pool is full; returns whether it was added. */
  boolean offer(String ticket, String deviceId) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    tickets.add(new Credential(ticket, deviceId));
    return true;
  }

  int size() {
    return size.get();
  }

  long dropped() {
    return dropped.sum();
  }

  /** One Resume per attempt, on a ticket from the pool. */
  Operation resume(Channel channel, Duration deadline) {
    return attempt -> {
      Credential c = tickets.poll();
      if (c == null) {
        return CompletableFuture.failedFuture(Status.FAILED_PRECONDITION
            .withDescription("no ticket left in the pool").asRuntimeException());
      }
      size.decrementAndGet();
      return Calls.call(channel, AuthWire.RESUME, AuthWire.resume(c.ticket(), c.deviceId()), deadline)
          .whenComplete((answer, error) -> {
            if (error == null) {
              offer(AuthWire.ticket(answer), c.deviceId());
            } else if (Status.fromThrowable(error).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
              offer(c.ticket(), c.deviceId()); // refused before any work: the ticket is not spent
            } else {
              dropped.increment();
            }
          });
    };
  }
}
