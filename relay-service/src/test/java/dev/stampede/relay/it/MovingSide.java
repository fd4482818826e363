package dev.stampede.relay.it;

import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Draining;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One side of a call that follows the move protocol of {@code relay.proto} the way a client SDK would: on
 * {@code Draining} it half-closes the old stream, joins the new allocation with its rejoin token and sends from then
 * on there, while it keeps reading the old stream to its end before it delivers anything from the new one. It
 * records the sequence numbers of the frames it receives, in delivery order.
 */
final class MovingSide {
  private final String name;
  private final Function<String, ManagedChannel> channels;
  private final String sessionToken;
  private final Object lock = new Object();
  private Leg sending;
  private Leg reading;
  private Leg next;
  private final List<Long> received = new ArrayList<>();
  private final List<Draining> drainings = new ArrayList<>();
  private volatile boolean stop;
  private final Thread reader;

  MovingSide(String name, Leg joined, String sessionToken, Function<String, ManagedChannel> channels) {
    this.name = name;
    this.sending = joined;
    this.reading = joined;
    this.sessionToken = sessionToken;
    this.channels = channels;
    this.reader = new Thread(this::readLoop, "reader-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends frame {@code seq} on whichever stream is current. */
  void send(long seq, int size) {
    synchronized (lock) {
      sending.sendSeq(seq, size);
    }
  }

  private void readLoop() {
    try {
      while (!stop) {
        Leg leg;
        synchronized (lock) {
          leg = reading;
        }
        ConnectResponse r = leg.received.poll(20, TimeUnit.MILLISECONDS);
        if (r == null) {
          synchronized (lock) {
            if (leg.closed.isDone() && leg.received.isEmpty() && next != null && reading == leg) {
              reading = next;
            }
          }
          continue;
        }
        if (r.hasFrame()) {
          synchronized (lock) {
            received.add(Leg.seqOf(r));
          }
        } else if (r.hasDraining()) {
          move(r.getDraining());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void move(Draining d) {
    Leg fresh = Leg.open(channels.apply(d.getRelayAddress()))
        .join(d.getAllocationId(), sessionToken, d.getRejoinToken());
    synchronized (lock) {
      drainings.add(d);
      sending.halfClose();
      sending = fresh;
      next = fresh;
    }
  }

  List<Long> received() {
    synchronized (lock) {
      return new ArrayList<>(received);
    }
  }

  List<Draining> drainings() {
    synchronized (lock) {
      return new ArrayList<>(drainings);
    }
  }

  /** The stream frames are read from now. */
  Leg readingLeg() {
    synchronized (lock) {
      return reading;
    }
  }

  void stop() throws InterruptedException {
    stop = true;
    reader.join(5_000);
  }

  @Override
  public String toString() {
    return name;
  }
}
