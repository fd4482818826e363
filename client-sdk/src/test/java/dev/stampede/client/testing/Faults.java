package dev.stampede.client.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Failure answers as Stampede servers send them (errors.proto). */
public final class Faults {
  public static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private Faults() {
  }

  /** An overload answer: RetryInfo in the details and the same delay in grpc-retry-pushback-ms. */
  public static StatusRuntimeException overloaded(Status.Code code, long delayMillis) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage("overloaded, retry later")
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder()
                .setSeconds(delayMillis / 1000)
                .setNanos((int) (delayMillis % 1000) * 1_000_000))
            .build()))
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("stampede.dev").setReason("OVERLOADED").build()))
        .build();
    Metadata trailers = new Metadata();
    trailers.put(PUSHBACK, Long.toString(delayMillis));
    return StatusProto.toStatusRuntimeException(status, trailers);
  }

  /** {@link #overloaded} with the server's booking of the slot in {@code stampede-retry-booking}. */
  public static StatusRuntimeException overloaded(Status.Code code, long delayMillis, String booking) {
    StatusRuntimeException e = overloaded(code, delayMillis);
    e.getTrailers().put(BOOKING, booking);
    return e;
  }

  public static final Metadata.Key<String> BOOKING =
      Metadata.Key.of("stampede-retry-booking", Metadata.ASCII_STRING_MARSHALLER);

  /** A bare status with no delay (a dependency failure of a server that does not follow the model). */
  public static StatusRuntimeException plain(Status.Code code) {
    return code.toStatus().withDescription("scripted " + code).asRuntimeException();
  }
}
