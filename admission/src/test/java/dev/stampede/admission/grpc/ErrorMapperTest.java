package dev.stampede.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.admission.ApiException;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.calendar.RetryCalendar;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  private static final RetryCalendar CALENDAR = new RetryCalendar() {
    @Override
    public long bookMillis() {
      return 250;
    }

    @Override
    public double horizonSeconds() {
      return 0;
    }
  };

  private final ErrorMapper mapper = new ErrorMapper("auth", true, CALENDAR, 1000);

  static com.google.rpc.Status details(StatusRuntimeException e) {
    return StatusProto.fromThrowable(e);
  }

  static RetryInfo retryInfo(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any any : details(e).getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        return any.unpack(RetryInfo.class);
      }
    }
    return null;
  }

  static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any any : details(e).getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        return any.unpack(ErrorInfo.class);
      }
    }
    return null;
  }

  @Test
  void overload_carriesRetryInfoErrorInfoAndThePushbackTrailer() throws Exception {
    StatusRuntimeException e = mapper.overload(RejectReason.QUEUE_TIMEOUT, 1234);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getTrailers().get(ErrorMapper.PUSHBACK_KEY)).isEqualTo("1234");
    RetryInfo retry = retryInfo(e);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
    assertThat(retry.getRetryDelay().getNanos()).isEqualTo(234_000_000);
    ErrorInfo info = errorInfo(e);
    assertThat(info.getDomain()).isEqualTo("stampede.dev");
    assertThat(info.getReason()).isEqualTo("QUEUE_TIMEOUT");
    assertThat(info.getMetadataMap()).containsEntry("service", "auth");
  }

  @Test
  void overloadException_withoutDelay_takesACalendarSlot() throws Exception {
    StatusRuntimeException e = mapper.toStatusException(OverloadException.of(RejectReason.OVERLOADED));
    assertThat(e.getTrailers().get(ErrorMapper.PUSHBACK_KEY)).isEqualTo("250");
  }

  @Test
  void redisFailures_areUnavailableWithAtLeastTheDependencyDelay() throws Exception {
    for (Throwable t : new Throwable[] {
        new RedisConnectionException("refused"),
        new RedisCommandTimeoutException("timed out"),
        new RedisException("Currently not connected. Commands are rejected."),
        new CompletionException(new RedisConnectionException("refused")),
        OverloadException.dependencyUnavailable("redis")}) {
      StatusRuntimeException e = mapper.toStatusException(t);
      assertThat(e.getStatus().getCode()).as(t.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(errorInfo(e).getReason()).isEqualTo("DEPENDENCY_UNAVAILABLE");
      assertThat(Long.parseLong(e.getTrailers().get(ErrorMapper.PUSHBACK_KEY))).isBetween(1000L, 1500L);
      assertThat(e.getStatus().getDescription()).doesNotContain("refused", "Redis", "redis");
    }
  }

  @Test
  void apiException_keepsItsCodeAndMessage() throws Exception {
    StatusRuntimeException e = mapper.toStatusException(
        ApiException.invalidArgument("username", "65 bytes (expected: 1..64 bytes UTF-8)"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("username: 65 bytes (expected: 1..64 bytes UTF-8)");
    assertThat(e.getTrailers().get(ErrorMapper.PUSHBACK_KEY)).isNull();

    StatusRuntimeException u = mapper.toStatusException(ApiException.unauthenticated("TICKET_INVALID", "no"));
    assertThat(errorInfo(u).getReason()).isEqualTo("TICKET_INVALID");
  }

  @Test
  void bugs_becomeInternalWithoutLeakingTheirMessage() {
    StatusRuntimeException e = mapper.toStatusException(new IllegalStateException("secret table users_v2"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
  }

  @Test
  void statusExceptions_passThrough() {
    StatusRuntimeException original = Status.NOT_FOUND.withDescription("lease").asRuntimeException();
    assertThat(mapper.toStatusException(new CompletionException(original))).isSameAs(original);
  }

  @Test
  void naiveBaseline_sendsNoPushback() throws Exception {
    ErrorMapper off = new ErrorMapper("auth", false, CALENDAR, 1000);
    StatusRuntimeException e = off.toStatusException(new RedisConnectionException("refused"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getTrailers().get(ErrorMapper.PUSHBACK_KEY)).isNull();
    assertThat(retryInfo(e)).isNull();
  }

  @Test
  void rejectReasons_areErrorReasonsOfTheContract() throws IOException {
    Set<String> contract;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("stampede/common/v1/errors.proto")) {
      assertThat(in).as("errors.proto from the api jar").isNotNull();
      String proto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("(?m)^\\s*([A-Z_]+)\\s*=\\s*\\d+;").matcher(
          proto.substring(proto.indexOf("enum ErrorReason")));
      contract = new LinkedHashSet<>();
      while (m.find()) {
        contract.add(m.group(1));
      }
    }
    Set<String> ours = Arrays.stream(RejectReason.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(contract).containsAll(ours);
    for (RejectReason r : RejectReason.values()) {
      assertThat(r.code()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE);
    }
  }
}
