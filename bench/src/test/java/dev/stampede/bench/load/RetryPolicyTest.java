package dev.stampede.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static Throwable status(Status s, String pushback) {
    Metadata m = new Metadata();
    if (pushback != null) {
      m.put(RetryPolicy.PUSHBACK, pushback);
    }
    return s.asRuntimeException(m);
  }

  @Test
  void obeyPushback_usesTheTrailerOrTheFallback() {
    RetryPolicy p = RetryPolicy.obeyPushback(3, Duration.ofMillis(50));
    assertThat(p.delayNanos(status(Status.RESOURCE_EXHAUSTED, "250"), 1)).isEqualTo(250_000_000L);
    assertThat(p.delayNanos(status(Status.UNAVAILABLE, null), 1)).isEqualTo(50_000_000L);
    assertThat(p.delayNanos(status(Status.UNAVAILABLE, "soon"), 1)).isEqualTo(50_000_000L);
    assertThat(p.delayNanos(status(Status.RESOURCE_EXHAUSTED, "-1"), 1)).isEqualTo(-1);
    assertThat(p.delayNanos(status(Status.DEADLINE_EXCEEDED, null), 2)).isEqualTo(50_000_000L);
    assertThat(p.delayNanos(status(Status.INVALID_ARGUMENT, null), 1)).isEqualTo(-1);
    assertThat(p.delayNanos(status(Status.RESOURCE_EXHAUSTED, "1"), 3)).isEqualTo(-1);
  }

  @Test
  void sdk_waitsThePushback_orATenthOfASecond_andKeepsTrying() {
    assertThat(RetryPolicy.SDK.delayNanos(status(Status.RESOURCE_EXHAUSTED, "730"), 1)).isEqualTo(730_000_000L);
    assertThat(RetryPolicy.SDK.delayNanos(status(Status.RESOURCE_EXHAUSTED, null), 50)).isEqualTo(100_000_000L);
    assertThat(RetryPolicy.SDK.delayNanos(status(Status.RESOURCE_EXHAUSTED, "730"), 100)).isEqualTo(-1);
    assertThat(RetryPolicy.SDK.delayNanos(status(Status.UNAUTHENTICATED, null), 1)).isEqualTo(-1);
  }

  @Test
  void immediate_retriesAnyFailureAtOnce() {
    RetryPolicy p = RetryPolicy.immediate(2);
    assertThat(p.delayNanos(status(Status.RESOURCE_EXHAUSTED, "9000"), 1)).isZero();
    assertThat(p.delayNanos(status(Status.INTERNAL, null), 2)).isEqualTo(-1);
    assertThat(RetryPolicy.NONE.delayNanos(status(Status.UNAVAILABLE, "1"), 1)).isEqualTo(-1);
  }
}
