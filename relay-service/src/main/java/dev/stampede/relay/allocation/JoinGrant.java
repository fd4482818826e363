package dev.stampede.relay.allocation;

import dev.stampede.relay.domain.Role;

/**
 * An admitted join: which side the caller is, and who the two parties are.
 *
 * @param allocationId the allocation
 * @param role the caller's side
 * @param owner user id of the side that allocated
 * @param peer user id of the invited side
 */
public record JoinGrant(String allocationId, Role role, String owner, String peer) {
  /** The user id of side {@code r}. */
  public String userOf(Role r) {
    return r == Role.OWNER ? owner : peer;
  }
}
