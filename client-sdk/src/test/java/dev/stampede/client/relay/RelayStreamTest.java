package dev.stampede.client.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.Joined;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayStreamTest {
  private final FakeClock clock = new FakeClock();
  private final FakeRelay relay = new FakeRelay();
  private final InProcessStampede stampede = new InProcessStampede(clock)
      .serve("relay", relay)
      .serve("relay-pod-1", relay);
  private final StampedeClient client = stampede.client(stampede.clientBuilder(1));

  @AfterEach
  void close() {
    stampede.close();
  }

  /**
   * A relay pod: answers the join, then either pushes {@link #toPush} frames to the client as fast as flow control
   * lets it, or reads client frames only as fast as the test allows ({@link #allowReads}).
   */
  static final class FakeRelay extends RelayServiceGrpc.RelayServiceImplBase {
    volatile int toPush;
    int pushed;
    final List<ByteString> received = new CopyOnWriteArrayList<>();
    volatile ServerCallStreamObserver<ConnectResponse> lastStream;
    volatile boolean drainAfterJoin;
    private volatile boolean joined;

    @Override
    public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> response) {
      response.onNext(AllocateResponse.newBuilder().setAllocationId("alloc-1")
          .setRelayAddress(InProcessStampede.target("relay-pod-1")).setJoinToken("join-1").build());
      response.onCompleted();
    }

    @Override
    public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> responses) {
      ServerCallStreamObserver<ConnectResponse> out = (ServerCallStreamObserver<ConnectResponse>) responses;
      out.disableAutoRequest();
      lastStream = out;
      out.setOnReadyHandler(this::pump);
      out.request(1);
      return new StreamObserver<>() {
        @Override
        public void onNext(ConnectRequest request) {
          if (request.hasJoin()) {
            joined = true;
            out.onNext(ConnectResponse.newBuilder().setJoined(Joined.newBuilder()
                .setAllocationId(request.getJoin().getAllocationId())).build());
            if (drainAfterJoin) {
              out.onNext(ConnectResponse.newBuilder().setDraining(Draining.newBuilder().setAllocationId("alloc-2")
                  .setRelayAddress("10.0.0.2:9000").setRejoinToken("rejoin-2")).build());
            }
            pump();
          } else {
            received.add(request.getFrame().getData());
          }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }

    void allowReads(int n) {
      lastStream.request(n);
    }

    private synchronized void pump() {
      ServerCallStreamObserver<ConnectResponse> out = lastStream;
      while (joined && pushed < toPush && out.isReady()) {
        pushed++;
        out.onNext(ConnectResponse.newBuilder()
            .setFrame(Frame.newBuilder().setData(ByteString.copyFromUtf8("frame-" + pushed))).build());
      }
    }
  }

  static final class Collecting implements RelayListener {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final List<Draining> drains = new CopyOnWriteArrayList<>();
    volatile Status closed;

    @Override
    public void onFrame(ByteString data) {
      frames.add(data.toStringUtf8());
    }

    @Override
    public void onDraining(Draining draining) {
      drains.add(draining);
    }

    @Override
    public void onClosed(Status status) {
      closed = status;
    }
  }

  private JoinRequest join() {
    AllocateResponse allocation = client.relay().allocateAsync(AllocateRequest.newBuilder().setSessionToken("tok")
        .setPeerUserId("bob").build(), dev.stampede.client.CallSettings.inherit()).join();
    return JoinRequest.newBuilder().setAllocationId(allocation.getAllocationId()).setSessionToken("tok").build();
  }

  @Test
  void slowReceiver_slowsTheSender_manualFlowControl() {
    relay.toPush = 100;
    Collecting listener = new Collecting();
    RelayStream stream = client.relay().connect(InProcessStampede.target("relay-pod-1"), join(), listener,
        RelayStream.Options.defaults().withWindow(3).manualFlowControl());
    clock.runDueTasks();

    assertThat(stream.joined()).isCompleted();
    assertThat(listener.frames).as("window of 3 = the join answer + 2 frames").hasSize(2);
    assertThat(relay.pushed).as("the relay could not send more than the receiver asked for").isEqualTo(2);

    stream.request(5);
    clock.runDueTasks();

    assertThat(listener.frames).hasSize(7).startsWith("frame-1", "frame-2", "frame-3");
    assertThat(relay.pushed).isEqualTo(7);
  }

  @Test
  void automaticFlowControl_asksForTheNextFrameWhenTheListenerReturns() {
    relay.toPush = 50;
    Collecting listener = new Collecting();
    client.relay().connect(InProcessStampede.target("relay-pod-1"), join(), listener);
    clock.runDueTasks();

    assertThat(listener.frames).hasSize(50).endsWith("frame-50");
  }

  @Test
  void slowRelay_makesTheSenderNotReady_untilItReadsAgain() {
    Collecting listener = new Collecting();
    RelayStream stream = client.relay().connect(InProcessStampede.target("relay-pod-1"), join(), listener);
    clock.runDueTasks();
    relay.allowReads(2);

    int sent = 0;
    while (stream.isReady() && sent < 100) {
      stream.send(ByteString.copyFromUtf8("payload-" + sent++));
    }
    clock.runDueTasks();
    CompletableFuture<Void> ready = stream.whenReady();

    assertThat(sent).as("the relay asked for two frames").isEqualTo(2);
    assertThat(ready).isNotDone();
    relay.allowReads(3);
    clock.runDueTasks();
    assertThat(ready).isCompleted();
    assertThat(relay.received).hasSize(2);
  }

  @Test
  void oversizedFrame_andSendingAfterHalfClose_areRefused() {
    RelayStream stream = client.relay().connect(InProcessStampede.target("relay-pod-1"), join(), new Collecting());

    assertThatThrownBy(() -> stream.send(ByteString.copyFrom(new byte[RelayStream.MAX_FRAME_BYTES + 1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data: 65537 bytes (expected: <= 65536)");
    stream.halfClose();
    assertThatThrownBy(() -> stream.send(ByteString.EMPTY)).isInstanceOf(IllegalStateException.class);
    clock.runDueTasks();
    assertThat(stream.closed()).isCompletedWithValueMatching(Status::isOk);
  }

  @Test
  void draining_isReported_withTheJoinThatMovesThisSide() {
    relay.drainAfterJoin = true;
    Collecting listener = new Collecting();
    client.relay().connect(InProcessStampede.target("relay-pod-1"), join(), listener);
    clock.runDueTasks();

    assertThat(listener.drains).hasSize(1);
    JoinRequest rejoin = RelayStream.rejoinRequest(listener.drains.get(0), "tok-2");
    assertThat(rejoin.getAllocationId()).isEqualTo("alloc-2");
    assertThat(rejoin.getJoinToken()).isEqualTo("rejoin-2");
    assertThat(rejoin.getSessionToken()).isEqualTo("tok-2");
  }

  @Test
  void joinWithoutItsFields_isRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.relay().connect(InProcessStampede.target("relay-pod-1"),
        JoinRequest.newBuilder().setSessionToken("t").build(), new Collecting()))
        .hasMessageStartingWith("join.allocation_id: ");
    assertThatThrownBy(() -> client.relay().connect("not an address", JoinRequest.getDefaultInstance(),
        new Collecting())).hasMessageStartingWith("relayAddress: ");
  }
}
