package dev.stampede.relay.forward;

import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.relay.domain.RelayException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** A {@link StreamHandle} that records what the core does to it; its readiness is set by the test. */
final class FakeStream implements StreamHandle {
  int requested;
  boolean ready = true;
  final List<ConnectResponse> sent = new ArrayList<>();
  boolean completed;
  RelayException failed;
  /** Runs inside {@link #request}, like grpc-java delivering a buffered message synchronously. */
  IntConsumer onRequest = n -> { };

  @Override
  public void request(int n) {
    requested += n;
    onRequest.accept(n);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void send(ConnectResponse message) {
    sent.add(message);
  }

  @Override
  public void complete() {
    completed = true;
  }

  @Override
  public void fail(RelayException error) {
    failed = error;
  }

  List<Integer> frameSizes() {
    List<Integer> sizes = new ArrayList<>();
    for (ConnectResponse r : sent) {
      if (r.hasFrame()) {
        sizes.add(r.getFrame().getData().size());
      }
    }
    return sizes;
  }

  List<Byte> frameTags() {
    List<Byte> tags = new ArrayList<>();
    for (ConnectResponse r : sent) {
      if (r.hasFrame()) {
        tags.add(r.getFrame().getData().byteAt(0));
      }
    }
    return tags;
  }
}
