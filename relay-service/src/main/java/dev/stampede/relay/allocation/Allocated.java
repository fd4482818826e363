package dev.stampede.relay.allocation;

import java.time.Instant;

/**
 * A new allocation as its owner receives it.
 *
 * @param allocationId the allocation
 * @param relayAddress {@code host:port} of the pod that holds it
 * @param joinToken the peer's single-use join token (never logged)
 * @param joinTokenExpiresAt when the join token stops working
 * @param expiresAt when the allocation frees itself unless a joined stream keeps it alive
 */
public record Allocated(String allocationId, String relayAddress, String joinToken, Instant joinTokenExpiresAt,
    Instant expiresAt) {
  @Override
  public String toString() {
    return "Allocated[" + allocationId + " on " + relayAddress + ", expires " + expiresAt + "]";
  }
}
