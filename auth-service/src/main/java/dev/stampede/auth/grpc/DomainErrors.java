package dev.stampede.auth.grpc;

import dev.stampede.admission.ApiException;
import dev.stampede.admission.OverloadException;
import dev.stampede.auth.domain.AccountExistsException;
import dev.stampede.auth.domain.AuthFailure;
import dev.stampede.auth.domain.InvalidInputException;
import dev.stampede.auth.domain.StoreUnavailableException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Translates domain failures into the admission library's exception types, which its {@code ErrorMapper} — the
 * one place that builds gRPC statuses — answers. Anything else passes through unchanged (overload refusals of the
 * hashing pool, statuses, bugs).
 */
final class DomainErrors {
  private DomainErrors() {
  }

  static Throwable toApi(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof InvalidInputException) {
      return new ApiException(Status.Code.INVALID_ARGUMENT, null, e.getMessage());
    }
    if (e instanceof AuthFailure) {
      return ApiException.unauthenticated(((AuthFailure) e).reason().name(), e.getMessage());
    }
    if (e instanceof AccountExistsException) {
      return ApiException.alreadyExists(e.getMessage());
    }
    if (e instanceof StoreUnavailableException) {
      return OverloadException.dependencyUnavailable("redis");
    }
    return e;
  }
}
