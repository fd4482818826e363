package dev.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.common.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

class AuthContractTest {

  /** Logs everyone in, and answers every Resume with the overload answer. */
  static final class FakeAuth extends AuthServiceGrpc.AuthServiceImplBase {
    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
      response.onNext(LoginResponse.newBuilder()
          .setGrant(SessionGrant.newBuilder()
              .setUserId("u-" + request.getUsername())
              .setSessionToken("token-for-" + request.getDeviceId())
              .setSessionExpiresAt(Timestamp.newBuilder().setSeconds(1_900_000_000L))
              .setResumeTicket("ticket")
              .setSessionId("s-1"))
          .build());
      response.onCompleted();
    }

    @Override
    public void resume(ResumeRequest request, StreamObserver<ResumeResponse> response) {
      response.onError(InProcessContract.overloaded(1_250, ErrorReason.OVERLOADED.name()));
    }
  }

  @Test
  void login_roundTripsEveryGrantField() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeAuth())) {
      LoginResponse response = AuthServiceGrpc.newBlockingStub(contract.channel)
          .login(LoginRequest.newBuilder().setUsername("alice").setPassword("pw").setDeviceId("dev-1").build());

      assertThat(response.getGrant().getUserId()).isEqualTo("u-alice");
      assertThat(response.getGrant().getSessionToken()).isEqualTo("token-for-dev-1");
      assertThat(response.getGrant().getSessionExpiresAt().getSeconds()).isEqualTo(1_900_000_000L);
      assertThat(response.getGrant().getSessionId()).isEqualTo("s-1");
    }
  }

  @Test
  void overloadedResume_carriesRetryInfoAndPushbackTrailer() throws Exception {
    try (InProcessContract contract = new InProcessContract(new FakeAuth())) {
      var stub = AuthServiceGrpc.newBlockingStub(contract.channel);

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.resume(ResumeRequest.newBuilder().setResumeTicket("t").setDeviceId("d").build()));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getTrailers().get(InProcessContract.PUSHBACK)).isEqualTo("1250");
      assertThat(InProcessContract.retryDelayMillis(e)).isEqualTo(1_250L);
      assertThat(InProcessContract.errorReason(e)).isEqualTo("OVERLOADED");
    }
  }
}
