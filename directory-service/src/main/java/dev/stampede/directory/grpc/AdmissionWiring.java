package dev.stampede.directory.grpc;

import dev.stampede.admission.MethodPolicies;
import dev.stampede.admission.Priority;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The priority of each directory method (DESIGN §3) for the admission library; the README says why. Configuration
 * may override any entry ({@code stampede.admission.methods."stampede.directory.v1.DirectoryService/Lookup"}).
 */
@Singleton
public class AdmissionWiring {
  @Produces
  @Singleton
  MethodPolicies admissionPolicies() {
    return MethodPolicies.builder()
        // Keeps a live session alive; shedding it would expire leases and start a wave of re-registrations.
        .method(DirectoryServiceGrpc.getHeartbeatMethod(), Priority.CRITICAL)
        // What a returning client does right after resuming: as cheap as a heartbeat, and how a storm ends.
        .method(DirectoryServiceGrpc.getRegisterMethod(), Priority.RESUME)
        .method(DirectoryServiceGrpc.getUnregisterMethod(), Priority.RESUME)
        // Lookups of strangers can wait; a watcher told to come back later loses nothing (fresh snapshot).
        .method(DirectoryServiceGrpc.getLookupMethod(), Priority.SHEDDABLE)
        .method(DirectoryServiceGrpc.getWatchMethod(), Priority.SHEDDABLE)
        .build();
  }
}
