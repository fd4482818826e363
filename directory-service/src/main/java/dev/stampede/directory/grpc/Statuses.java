package dev.stampede.directory.grpc;

import dev.stampede.admission.Admission;
import dev.stampede.admission.ApiException;
import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;
import dev.stampede.directory.domain.CapacityExhaustedException;
import dev.stampede.directory.domain.DrainingException;
import dev.stampede.directory.domain.ForeignLeaseException;
import dev.stampede.directory.domain.InvalidInputException;
import dev.stampede.directory.domain.LeaseNotFoundException;
import dev.stampede.directory.domain.StoreUnavailableException;
import dev.stampede.tokens.InvalidSessionTokenException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns the directory's failures into the shared error model: each domain failure becomes the admission library's
 * {@link ApiException} or {@link OverloadException}, and {@code admission.errors()} — the one place every Stampede
 * service maps failures to gRPC status — builds the answer.
 *
 * <table>
 *   <tr><th>failure</th><th>status</th><th>details</th></tr>
 *   <tr><td>{@link InvalidInputException}</td><td>INVALID_ARGUMENT, message names the field</td><td></td></tr>
 *   <tr><td>{@link InvalidSessionTokenException}</td><td>UNAUTHENTICATED</td><td>ErrorInfo SESSION_INVALID</td></tr>
 *   <tr><td>{@link ForeignLeaseException}</td><td>PERMISSION_DENIED</td><td></td></tr>
 *   <tr><td>{@link LeaseNotFoundException}</td><td>NOT_FOUND</td><td></td></tr>
 *   <tr><td>{@link StoreUnavailableException}, Redis not connected</td><td>UNAVAILABLE</td>
 *       <td>RetryInfo + pushback, DEPENDENCY_UNAVAILABLE</td></tr>
 *   <tr><td>{@link DrainingException}</td><td>UNAVAILABLE</td><td>RetryInfo + pushback, DRAINING</td></tr>
 *   <tr><td>{@link CapacityExhaustedException}</td><td>RESOURCE_EXHAUSTED</td>
 *       <td>RetryInfo + pushback, CAPACITY_EXHAUSTED</td></tr>
 *   <tr><td>anything else (a bug)</td><td>INTERNAL "internal error", logged, never sent</td><td></td></tr>
 * </table>
 *
 * <p>Retry delays come from the server's retry calendar; with admission off (the naive baseline) overload answers
 * carry none. Messages never contain tokens. Thread-safe.
 */
public final class Statuses {
  private final Admission admission;

  public Statuses(Admission admission) {
    this.admission = admission;
  }

  /** The status to close a call with after {@code failure}. */
  public StatusRuntimeException toStatus(Throwable failure) {
    return admission.errors().toStatusException(translate(failure));
  }

  static Throwable translate(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof InvalidInputException) {
      return new ApiException(Status.Code.INVALID_ARGUMENT, null, t.getMessage());
    }
    if (t instanceof InvalidSessionTokenException) {
      return ApiException.unauthenticated("SESSION_INVALID", "session_token: refused");
    }
    if (t instanceof ForeignLeaseException) {
      return ApiException.permissionDenied(t.getMessage());
    }
    if (t instanceof LeaseNotFoundException) {
      return ApiException.notFound(t.getMessage());
    }
    if (t instanceof StoreUnavailableException) {
      return OverloadException.dependencyUnavailable("redis");
    }
    if (t instanceof DrainingException) {
      return OverloadException.of(RejectReason.DRAINING);
    }
    if (t instanceof CapacityExhaustedException) {
      return OverloadException.of(RejectReason.CAPACITY_EXHAUSTED);
    }
    return t;
  }
}
