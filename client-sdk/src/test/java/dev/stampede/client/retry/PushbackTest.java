package dev.stampede.client.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.stampede.client.testing.Faults;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PushbackTest {

  @Test
  void overloadAnswer_givesTheDelayToTheNanosecond() {
    StatusRuntimeException e = Faults.overloaded(Status.Code.RESOURCE_EXHAUSTED, 1_250);

    Pushback p = Pushback.from(e.getStatus(), e.getTrailers());

    assertThat(p.isPresent()).isTrue();
    assertThat(p.delayNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_250));
  }

  @Test
  void trailerAlone_isEnough() {
    Metadata trailers = new Metadata();
    trailers.put(Pushback.PUSHBACK_MS, "42");

    assertThat(Pushback.from(Status.UNAVAILABLE, trailers).delayNanos()).isEqualTo(42_000_000L);
  }

  @Test
  void retryInfoAlone_isEnough() {
    assertThat(Pushback.from(retryInfoOnly(3, 500_000_000).getStatus(), retryInfoOnly(3, 500_000_000).getTrailers())
        .delayNanos()).isEqualTo(3_500_000_000L);
  }

  @Test
  void bothPresentButDifferent_theLaterWins() {
    StatusRuntimeException e = retryInfoOnly(2, 0);
    Metadata trailers = e.getTrailers();
    trailers.put(Pushback.PUSHBACK_MS, "700");

    assertThat(Pushback.from(e.getStatus(), trailers).delayNanos()).isEqualTo(2_000_000_000L);
  }

  @Test
  void negativeOrMalformedTrailer_meansDoNotRetry() {
    Metadata negative = new Metadata();
    negative.put(Pushback.PUSHBACK_MS, "-1");
    Metadata garbage = new Metadata();
    garbage.put(Pushback.PUSHBACK_MS, "soon");

    assertThat(Pushback.from(Status.UNAVAILABLE, negative).isStop()).isTrue();
    assertThat(Pushback.from(Status.UNAVAILABLE, garbage).isStop()).isTrue();
  }

  @Test
  void noDelay_isAbsent() {
    assertThat(Pushback.from(Status.UNAVAILABLE, new Metadata()).isPresent()).isFalse();
    assertThat(Pushback.from(Status.UNAVAILABLE, null).isPresent()).isFalse();
  }

  private static StatusRuntimeException retryInfoOnly(long seconds, int nanos) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.UNAVAILABLE.value())
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
            com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos)).build()))
        .build());
  }
}
