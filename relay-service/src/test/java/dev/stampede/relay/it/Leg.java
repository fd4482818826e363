package dev.stampede.relay.it;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One side's Connect stream as a test client sees it: everything received is queued; reading can be switched off
 * (manual flow control) to play a receiver that stopped reading.
 */
final class Leg implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
  final LinkedBlockingQueue<ConnectResponse> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  final AtomicLong onReadyCalls = new AtomicLong();
  private final boolean reading;
  private volatile ClientCallStreamObserver<ConnectRequest> requests;

  private Leg(boolean reading) {
    this.reading = reading;
  }

  /** Opens a Connect stream that reads everything. */
  static Leg open(ManagedChannel channel) {
    return open(channel, true);
  }

  /** Opens a Connect stream; with {@code reading} false it takes only the first two messages, then stops reading. */
  static Leg open(ManagedChannel channel, boolean reading) {
    Leg leg = new Leg(reading);
    RelayServiceGrpc.newStub(channel).connect(leg);
    return leg;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConnectRequest> stream) {
    requests = stream;
    stream.setOnReadyHandler(onReadyCalls::incrementAndGet);
    if (!reading) {
      stream.disableAutoRequestWithInitial(2);
    }
  }

  /** Starts reading again (after {@code open(channel, false)}). */
  void readAll() {
    requests.request(Integer.MAX_VALUE);
  }

  Leg join(String allocationId, String sessionToken, String joinToken) {
    requests.onNext(ConnectRequest.newBuilder().setJoin(JoinRequest.newBuilder()
        .setAllocationId(allocationId).setSessionToken(sessionToken).setJoinToken(joinToken)).build());
    return this;
  }

  void send(ByteString data) {
    requests.onNext(ConnectRequest.newBuilder().setFrame(Frame.newBuilder().setData(data)).build());
  }

  /** Sends a frame of {@code size} bytes that starts with the 8-byte sequence number {@code seq}. */
  void sendSeq(long seq, int size) {
    send(seqFrame(seq, size));
  }

  static ByteString seqFrame(long seq, int size) {
    byte[] b = new byte[Math.max(8, size)];
    ByteBuffer.wrap(b).putLong(seq);
    for (int i = 8; i < b.length; i++) {
      b[i] = (byte) (seq * 31 + i);
    }
    return ByteString.copyFrom(b);
  }

  static long seqOf(ConnectResponse r) {
    return r.getFrame().getData().asReadOnlyByteBuffer().getLong();
  }

  boolean isReady() {
    return requests.isReady();
  }

  void halfClose() {
    requests.onCompleted();
  }

  void cancel() {
    requests.cancel("test leaves", null);
  }

  /** The next message, or fails the test after {@code timeout}. */
  ConnectResponse next(Duration timeout) throws InterruptedException {
    ConnectResponse r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no message within " + timeout + (closed.isDone() ? "; closed " + closed.join() : ""));
    }
    return r;
  }

  ConnectResponse next() throws InterruptedException {
    return next(Duration.ofSeconds(10));
  }

  /** The status the stream ended with. */
  Status awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void onNext(ConnectResponse value) {
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    lastError = t;
    closed.complete(Status.fromThrowable(t));
  }

  /** The error the stream ended with (for its trailers and details), or null. */
  volatile Throwable lastError;

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }
}
