package dev.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.stampede.api.common.v1.ErrorReason;
import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.Joined;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelayContractTest {

  /** Echoes frames back after the join; refuses every allocation as over capacity. */
  static final class FakeRelay extends RelayServiceGrpc.RelayServiceImplBase {
    @Override
    public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> response) {
      response.onError(InProcessContract.overloaded(3_000, ErrorReason.CAPACITY_EXHAUSTED.name()));
    }

    @Override
    public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> response) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ConnectRequest message) {
          switch (message.getKindCase()) {
            case JOIN -> response.onNext(ConnectResponse.newBuilder()
                .setJoined(Joined.newBuilder().setAllocationId(message.getJoin().getAllocationId()))
                .build());
            case FRAME -> response.onNext(ConnectResponse.newBuilder().setFrame(message.getFrame()).build());
            default -> response.onError(Status.INVALID_ARGUMENT.withDescription("kind: not set").asException());
          }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
          response.onCompleted();
        }
      };
    }
  }

  @Test
  void connect_roundTripsJoinAndFramesInOrder() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeRelay())) {
      List<ConnectResponse> received = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<ConnectRequest> requests = RelayServiceGrpc.newStub(contract.channel).connect(
          new StreamObserver<>() {
            @Override
            public void onNext(ConnectResponse value) {
              received.add(value);
            }

            @Override
            public void onError(Throwable t) {
              done.countDown();
            }

            @Override
            public void onCompleted() {
              done.countDown();
            }
          });

      requests.onNext(ConnectRequest.newBuilder()
          .setJoin(JoinRequest.newBuilder().setAllocationId("a-1").setSessionToken("t"))
          .build());
      for (int i = 0; i < 3; i++) {
        requests.onNext(ConnectRequest.newBuilder()
            .setFrame(Frame.newBuilder().setData(ByteString.copyFrom(new byte[] {(byte) i})))
            .build());
      }
      requests.onCompleted();

      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(received).hasSize(4);
      assertThat(received.get(0).getJoined().getAllocationId()).isEqualTo("a-1");
      assertThat(received.subList(1, 4)).extracting(r -> r.getFrame().getData().byteAt(0))
          .containsExactly((byte) 0, (byte) 1, (byte) 2);
    }
  }

  @Test
  void allocateOverCapacity_carriesRetryInfoAndPushback() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeRelay())) {
      var stub = RelayServiceGrpc.newBlockingStub(contract.channel);

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.allocate(AllocateRequest.newBuilder().setSessionToken("t").setPeerUserId("bob").build()));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(InProcessContract.retryDelayMillis(e)).isEqualTo(3_000L);
      assertThat(e.getTrailers().get(InProcessContract.PUSHBACK)).isEqualTo("3000");
      assertThat(InProcessContract.errorReason(e)).isEqualTo("CAPACITY_EXHAUSTED");
    }
  }
}
