package dev.stampede.relay.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.admission.Admission;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.RelayException.Kind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
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

  private final Admission admission = Admission.builder("relay").build();
  private final Statuses statuses = new Statuses(admission.errors());

  @AfterEach
  void close() {
    admission.close();
  }

  private static Map<Class<?>, Object> details(StatusRuntimeException e) throws Exception {
    Map<Class<?>, Object> found = new java.util.HashMap<>();
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        found.put(RetryInfo.class, any.unpack(RetryInfo.class));
      } else if (any.is(ErrorInfo.class)) {
        found.put(ErrorInfo.class, any.unpack(ErrorInfo.class));
      }
    }
    return found;
  }

  @Test
  void everyKind_hasItsOneStatus() {
    assertThat(EXPECTED).hasSize(Kind.values().length);
    for (Kind kind : Kind.values()) {
      RelayException e = kind == Kind.WRONG_POD ? RelayException.wrongPod("h:1") : RelayException.of(kind, "m");
      assertThat(statuses.of(e).getStatus().getCode()).as(kind.name()).isEqualTo(EXPECTED.get(kind));
    }
  }

  @Test
  void overloadAnswer_takesItsDelayFromTheRetryCalendar() throws Exception {
    StatusRuntimeException e = statuses.of(new CompletionException(
        RelayException.overloaded(Kind.CAPACITY_EXHAUSTED, "full")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    RetryInfo retry = (RetryInfo) details(e).get(RetryInfo.class);
    long millis = retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000;
    assertThat(millis).isPositive();
    assertThat(e.getTrailers().get(Statuses.PUSHBACK)).isEqualTo(Long.toString(millis));
    ErrorInfo info = (ErrorInfo) details(e).get(ErrorInfo.class);
    assertThat(info.getDomain()).isEqualTo("stampede.dev");
    assertThat(info.getReason()).isEqualTo("CAPACITY_EXHAUSTED");
  }

  @Test
  void quotaAnswer_keepsTheRelaysOwnDelay() throws Exception {
    StatusRuntimeException e = statuses.of(RelayException.overloaded(Kind.BUDGET_EXHAUSTED, "quota",
        Duration.ofMillis(2_345)));
    assertThat(e.getTrailers().get(Statuses.PUSHBACK)).isEqualTo("2345");
    assertThat(((ErrorInfo) details(e).get(ErrorInfo.class)).getReason()).isEqualTo("BUDGET_EXHAUSTED");
  }

  @Test
  void wrongPod_namesTheHolderInErrorInfo() throws Exception {
    StatusRuntimeException e = statuses.of(RelayException.wrongPod("10.0.0.7:9000"));
    ErrorInfo info = (ErrorInfo) details(e).get(ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo("ALLOCATION_ELSEWHERE");
    assertThat(info.getMetadataMap()).containsEntry("relay_address", "10.0.0.7:9000");
    assertThat(e.getStatus().getDescription()).contains("10.0.0.7:9000");
  }

  @Test
  void tokenRefusals_carryTheirReason() throws Exception {
    StatusRuntimeException e = statuses.of(RelayException.of(Kind.JOIN_TOKEN_INVALID, "join_token: used"));
    assertThat(((ErrorInfo) details(e).get(ErrorInfo.class)).getReason()).isEqualTo("JOIN_TOKEN_INVALID");
    assertThat(e.getStatus().getDescription()).isEqualTo("join_token: used");
  }

  @Test
  void unexpectedFailures_areInternal_withoutDetail() {
    StatusRuntimeException e = statuses.of(new IllegalStateException("secret internals"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
    assertThat(statuses.of(RelayException.of(Kind.INTERNAL, "id collision")).getStatus().getDescription())
        .isEqualTo("internal error");
  }
}
