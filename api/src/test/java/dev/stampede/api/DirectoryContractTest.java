package dev.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import dev.stampede.api.common.v1.ErrorReason;
import dev.stampede.api.directory.v1.DevicePresence;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.Endpoint;
import dev.stampede.api.directory.v1.EndpointKind;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.Presence;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryContractTest {

  static final class FakeDirectory extends DirectoryServiceGrpc.DirectoryServiceImplBase {
    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
      response.onNext(RegisterResponse.newBuilder()
          .setLeaseId("lease-" + request.getEndpointsCount() + "-" + request.getNatType().name())
          .setTtl(Duration.newBuilder().setSeconds(30))
          .build());
      response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
      response.onError(InProcessContract.overloaded(40, ErrorReason.DEPENDENCY_UNAVAILABLE.name()));
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
      for (String user : request.getUserIdsList()) {
        response.onNext(WatchEvent.newBuilder()
            .setInitial(true)
            .setPresence(Presence.newBuilder()
                .setUserId(user)
                .setOnline(true)
                .addDevices(DevicePresence.newBuilder().setDeviceId("d1").setNatType(NatType.NAT_TYPE_SYMMETRIC)))
            .build());
      }
      response.onCompleted();
    }
  }

  @Test
  void register_roundTripsEndpointsAndNatType() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeDirectory())) {
      RegisterResponse response = DirectoryServiceGrpc.newBlockingStub(contract.channel).register(
          RegisterRequest.newBuilder()
              .setSessionToken("t")
              .addEndpoints(Endpoint.newBuilder().setHost("192.0.2.1").setPort(4000)
                  .setKind(EndpointKind.ENDPOINT_KIND_SERVER_REFLEXIVE))
              .setNatType(NatType.NAT_TYPE_PORT_RESTRICTED_CONE)
              .build());

      assertThat(response.getLeaseId()).isEqualTo("lease-1-NAT_TYPE_PORT_RESTRICTED_CONE");
      assertThat(response.getTtl().getSeconds()).isEqualTo(30);
    }
  }

  @Test
  void watch_streamsOneInitialEventPerUser() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeDirectory())) {
      Iterator<WatchEvent> events = DirectoryServiceGrpc.newBlockingStub(contract.channel)
          .watch(WatchRequest.newBuilder().setSessionToken("t").addUserIds("a").addUserIds("b").build());
      List<String> users = new ArrayList<>();
      events.forEachRemaining(e -> {
        assertThat(e.getInitial()).isTrue();
        users.add(e.getPresence().getUserId());
      });

      assertThat(users).containsExactly("a", "b");
    }
  }

  @Test
  void unavailableHeartbeat_carriesRetryInfo() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeDirectory())) {
      var stub = DirectoryServiceGrpc.newBlockingStub(contract.channel);

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken("t").setLeaseId("l").build()));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(InProcessContract.retryDelayMillis(e)).isEqualTo(40L);
      assertThat(e.getTrailers().get(InProcessContract.PUSHBACK)).isEqualTo("40");
      assertThat(InProcessContract.errorReason(e)).isEqualTo("DEPENDENCY_UNAVAILABLE");
    }
  }
}
