package dev.stampede.admission.quarkus;

import dev.stampede.admission.Admission;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Replaces Quarkus' default gRPC exception mapping with {@code ErrorMapper}: a failed {@code Uni}/{@code Multi} or a
 * thrown exception becomes exactly one status — {@code ApiException} its own code, {@code OverloadException} and
 * Redis failures the overload answer with pushback, anything else {@code INTERNAL} without leaking its message.
 * Apps must not declare another {@link ExceptionHandlerProvider}.
 */
@Singleton
public class StampedeExceptionHandlerProvider implements ExceptionHandlerProvider {
  private final Admission admission;

  @Inject
  public StampedeExceptionHandlerProvider(Admission admission) {
    this.admission = admission;
  }

  @Override
  public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
      ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
    return new ExceptionHandler<>(listener, serverCall, metadata) {
      @Override
      protected void handleException(Throwable t, ServerCall<ReqT, RespT> call, Metadata headers) {
        StatusRuntimeException e = admission.errors().toStatusException(t);
        try {
          call.close(e.getStatus(), e.getTrailers() != null ? e.getTrailers() : new Metadata());
        } catch (IllegalStateException alreadyClosed) {
          // The call was already closed: nothing more to tell the client.
        }
      }
    };
  }

  @Override
  public Throwable transform(Throwable t) {
    return admission.errors().toStatusException(t);
  }
}
