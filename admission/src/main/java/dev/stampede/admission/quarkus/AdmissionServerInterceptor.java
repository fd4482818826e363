package dev.stampede.admission.quarkus;

import dev.stampede.admission.Admission;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Installs the app's {@link Admission} interceptor on every gRPC service, outermost: its priority is above all of
 * Quarkus' own gRPC interceptors (the highest, the duplicated-context one, is {@code Integer.MAX_VALUE - 5}), so a
 * refused call costs no Vert.x context, no request context and no blocking dispatch.
 */
@Singleton
@GlobalInterceptor
public class AdmissionServerInterceptor implements ServerInterceptor, Prioritized {
  private final ServerInterceptor delegate;

  @Inject
  public AdmissionServerInterceptor(Admission admission) {
    this.delegate = admission.interceptor();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    return delegate.interceptCall(call, headers, next);
  }

  @Override
  public int getPriority() {
    return Integer.MAX_VALUE;
  }
}
