package dev.stampede.auth.grpc;

import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.MethodPolicy;
import dev.stampede.admission.Priority;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The priority of each auth method (DESIGN §3), for the admission library. */
@Singleton
public class AdmissionWiring {
  @Produces
  @Singleton
  MethodPolicies admissionPolicies() {
    return MethodPolicies.builder()
        // Returning clients: a resume costs microseconds and spares a password hash.
        .method(AuthServiceGrpc.getResumeMethod(), Priority.RESUME)
        .method(AuthServiceGrpc.getLogoutMethod(), Priority.RESUME)
        // Login's time is the hashing pool's; 50 ms hashes must not read as congestion next to 200 µs resumes.
        .method(AuthServiceGrpc.getLoginMethod(), MethodPolicy.withoutLatencySignal(Priority.LOGIN))
        .method(AuthServiceGrpc.getGetSessionMethod(), Priority.CRITICAL)
        .method(AuthServiceGrpc.getCreateAccountMethod(), MethodPolicy.withoutLatencySignal(Priority.SHEDDABLE))
        .method(AuthServiceGrpc.getSeedAccountsMethod(), MethodPolicy.withoutLatencySignal(Priority.SHEDDABLE))
        .build();
  }
}
