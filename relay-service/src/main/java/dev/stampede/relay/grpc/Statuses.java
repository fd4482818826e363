package dev.stampede.relay.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.api.common.v1.ErrorReason;
import dev.stampede.relay.domain.RelayException;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * The one place where relay failures become gRPC statuses (errors.proto). Overload answers ({@code
 * RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}) carry a {@code google.rpc.RetryInfo} and the same delay in
 * {@code grpc-retry-pushback-ms}; every answer with a defined reason carries a {@code google.rpc.ErrorInfo}
 * (domain {@code stampede.dev}). Anything unexpected is {@code INTERNAL} with no detail for the client.
 */
public final class Statuses {
  /** {@code grpc-retry-pushback-ms}: the retry delay in decimal milliseconds, understood by grpc-java's retry. */
  public static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  /** The {@code google.rpc.ErrorInfo} domain of every Stampede error. */
  public static final String DOMAIN = "stampede.dev";
  /** The {@code ErrorInfo.metadata} key naming the pod that holds an allocation. */
  public static final String RELAY_ADDRESS = "relay_address";

  private Statuses() {
  }

  /** The status for any failure of a relay call: a {@link RelayException} as its kind says, else {@code INTERNAL}. */
  public static StatusRuntimeException of(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (!(t instanceof RelayException e)) {
      return status(Code.INTERNAL, "internal error", null, null, null);
    }
    return switch (e.kind()) {
      case INVALID_ARGUMENT -> status(Code.INVALID_ARGUMENT, e.getMessage(), null, null, null);
      case SESSION_INVALID -> status(Code.UNAUTHENTICATED, e.getMessage(), ErrorReason.SESSION_INVALID, null, null);
      case JOIN_TOKEN_INVALID ->
          status(Code.UNAUTHENTICATED, e.getMessage(), ErrorReason.JOIN_TOKEN_INVALID, null, null);
      case NOT_A_PARTY -> status(Code.PERMISSION_DENIED, e.getMessage(), null, null, null);
      case NOT_FOUND -> status(Code.NOT_FOUND, e.getMessage(), null, null, null);
      case WRONG_POD ->
          status(Code.FAILED_PRECONDITION, e.getMessage(), ErrorReason.ALLOCATION_ELSEWHERE, null, e.relayAddress());
      case ALREADY_CONNECTED -> status(Code.ALREADY_EXISTS, e.getMessage(), null, null, null);
      case ENDED -> status(Code.ABORTED, e.getMessage(), null, null, null);
      case CAPACITY_EXHAUSTED ->
          status(Code.RESOURCE_EXHAUSTED, e.getMessage(), ErrorReason.CAPACITY_EXHAUSTED, e.retryAfter(), null);
      case BUDGET_EXHAUSTED ->
          status(Code.RESOURCE_EXHAUSTED, e.getMessage(), ErrorReason.BUDGET_EXHAUSTED, e.retryAfter(), null);
      case DRAINING -> status(Code.UNAVAILABLE, e.getMessage(), ErrorReason.DRAINING, e.retryAfter(), null);
      case DEPENDENCY_UNAVAILABLE ->
          status(Code.UNAVAILABLE, e.getMessage(), ErrorReason.DEPENDENCY_UNAVAILABLE, e.retryAfter(), null);
      case INTERNAL -> status(Code.INTERNAL, "internal error", null, null, null);
    };
  }

  private static StatusRuntimeException status(Code code, String message, ErrorReason reason, Duration retryAfter,
      String relayAddress) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message);
    Metadata trailers = new Metadata();
    if (retryAfter != null) {
      status.addDetails(Any.pack(RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(retryAfter.getSeconds())
              .setNanos(retryAfter.getNano()))
          .build()));
      trailers.put(PUSHBACK, Long.toString(retryAfter.toMillis()));
    }
    if (reason != null) {
      ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason.name());
      if (relayAddress != null) {
        info.putMetadata(RELAY_ADDRESS, relayAddress);
      }
      status.addDetails(Any.pack(info.build()));
    }
    return StatusProto.toStatusRuntimeException(status.build(), trailers);
  }
}
