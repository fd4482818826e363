package dev.stampede.relay.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.stampede.admission.ApiException;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.admission.grpc.ErrorMapper;
import dev.stampede.api.common.v1.ErrorReason;
import dev.stampede.relay.domain.RelayException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;

/**
 * Relay failures as the admission library's exceptions, so that {@link ErrorMapper} — the one place statuses are
 * built — answers them: {@link RelayException} kinds become {@code ApiException}s with their code and
 * {@code ErrorReason}, and overload kinds become {@code OverloadException}s (RetryInfo and
 * {@code grpc-retry-pushback-ms} from the retry calendar, or the relay's own delay where it knows one). The one
 * answer {@code ApiException} cannot express, {@code FAILED_PRECONDITION} with the holding pod in
 * {@code ErrorInfo.metadata["relay_address"]}, is built here. Anything unexpected is {@code INTERNAL}. Thread-safe.
 */
public final class Statuses {
  /** {@code grpc-retry-pushback-ms}. */
  public static final Metadata.Key<String> PUSHBACK = ErrorMapper.PUSHBACK_KEY;
  /** The {@code ErrorInfo.metadata} key naming the pod that holds an allocation. */
  public static final String RELAY_ADDRESS = "relay_address";

  private final ErrorMapper errors;

  public Statuses(ErrorMapper errors) {
    this.errors = errors;
  }

  /** The status for any failure of a relay call. */
  public StatusRuntimeException of(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return errors.toStatusException(t instanceof RelayException e ? translate(e) : t);
  }

  private Throwable translate(RelayException e) {
    String m = e.getMessage();
    return switch (e.kind()) {
      case INVALID_ARGUMENT -> new ApiException(Status.Code.INVALID_ARGUMENT, null, m);
      case SESSION_INVALID -> ApiException.unauthenticated(ErrorReason.SESSION_INVALID.name(), m);
      case JOIN_TOKEN_INVALID -> ApiException.unauthenticated(ErrorReason.JOIN_TOKEN_INVALID.name(), m);
      case NOT_A_PARTY -> ApiException.permissionDenied(m);
      case NOT_FOUND -> ApiException.notFound(m);
      case WRONG_POD -> elsewhere(e);
      case ALREADY_CONNECTED -> ApiException.alreadyExists(m);
      case ENDED -> new ApiException(Status.Code.ABORTED, null, m);
      case CAPACITY_EXHAUSTED -> overload(RejectReason.CAPACITY_EXHAUSTED, e);
      case BUDGET_EXHAUSTED -> overload(RejectReason.BUDGET_EXHAUSTED, e);
      case DRAINING -> overload(RejectReason.DRAINING, e);
      case DEPENDENCY_UNAVAILABLE -> overload(RejectReason.DEPENDENCY_UNAVAILABLE, e);
      // A bug: ErrorMapper logs it and answers INTERNAL without detail.
      case INTERNAL -> new IllegalStateException(m, e);
    };
  }

  private static OverloadException overload(RejectReason reason, RelayException e) {
    long delay = e.retryAfter() == null ? OverloadException.CALENDAR : e.retryAfter().toMillis();
    return new OverloadException(reason, delay, e.getMessage());
  }

  private static StatusRuntimeException elsewhere(RelayException e) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.FAILED_PRECONDITION.value())
        .setMessage(e.getMessage())
        .addDetails(Any.pack(ErrorInfo.newBuilder()
            .setDomain(RejectReason.DOMAIN)
            .setReason(ErrorReason.ALLOCATION_ELSEWHERE.name())
            .putMetadata(RELAY_ADDRESS, e.relayAddress())
            .build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
