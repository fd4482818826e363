package dev.stampede.relay.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.RelayException.Kind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusesTest {
  private static final Map<Kind, Status.Code> EXPECTED = new EnumMap<>(Map.ofEntries(
      Map.entry(Kind.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT),
      Map.entry(Kind.SESSION_INVALID, Status.Code.UNAUTHENTICATED),
      Map.entry(Kind.JOIN_TOKEN_INVALID, Status.Code.UNAUTHENTICATED),
      Map.entry(Kind.NOT_A_PARTY, Status.Code.PERMISSION_DENIED),
      Map.entry(Kind.NOT_FOUND, Status.Code.NOT_FOUND),
      Map.entry(Kind.WRONG_POD, Status.Code.FAILED_PRECONDITION),
      Map.entry(Kind.ALREADY_CONNECTED, Status.Code.ALREADY_EXISTS),
      Map.entry(Kind.ENDED, Status.Code.ABORTED),
      Map.entry(Kind.CAPACITY_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED),
      Map.entry(Kind.BUDGET_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED),
      Map.entry(Kind.DRAINING, Status.Code.UNAVAILABLE),
      Map.entry(Kind.DEPENDENCY_UNAVAILABLE, Status.Code.UNAVAILABLE),
      Map.entry(Kind.INTERNAL, Status.Code.INTERNAL)));

  @Test
  void everyKind_hasItsOneStatus() {
    assertThat(EXPECTED).hasSize(Kind.values().length);
    for (Kind kind : Kind.values()) {
      StatusRuntimeException e = Statuses.of(RelayException.of(kind, "m"));
      assertThat(e.getStatus().getCode()).as(kind.name()).isEqualTo(EXPECTED.get(kind));
    }
  }

  @Test
  void overloadAnswer_carriesRetryInfoPushbackAndReason() throws Exception {
    StatusRuntimeException e = Statuses.of(new CompletionException(RelayException.overloaded(
        Kind.CAPACITY_EXHAUSTED, "full", Duration.ofMillis(2_345))));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getTrailers().get(Statuses.PUSHBACK)).isEqualTo("2345");
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    RetryInfo retry = null;
    ErrorInfo info = null;
    for (Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        retry = any.unpack(RetryInfo.class);
      } else if (any.is(ErrorInfo.class)) {
        info = any.unpack(ErrorInfo.class);
      }
    }
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(2);
    assertThat(retry.getRetryDelay().getNanos()).isEqualTo(345_000_000);
    assertThat(info.getDomain()).isEqualTo("stampede.dev");
    assertThat(info.getReason()).isEqualTo("CAPACITY_EXHAUSTED");
  }

  @Test
  void wrongPod_namesTheHolderInErrorInfo() throws Exception {
    StatusRuntimeException e = Statuses.of(RelayException.wrongPod("10.0.0.7:9000"));
    ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo("ALLOCATION_ELSEWHERE");
    assertThat(info.getMetadataMap()).containsEntry("relay_address", "10.0.0.7:9000");
    assertThat(e.getStatus().getDescription()).contains("10.0.0.7:9000");
  }

  @Test
  void unexpectedFailures_areInternal_withoutDetail() {
    StatusRuntimeException e = Statuses.of(new IllegalStateException("secret internals"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
  }
}
