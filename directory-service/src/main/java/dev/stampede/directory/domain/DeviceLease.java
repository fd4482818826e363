package dev.stampede.directory.domain;

import java.util.List;
import java.util.Objects;

/**
 * One device's presence: who registered it (the lease nonce that distinguishes this registration from earlier ones
 * of the same device), until when, behind which NAT, and at which endpoints. Immutable.
 *
 * @param deviceId the device the session token was bound to (1..64 printable ASCII)
 * @param nonce distinguishes this registration of the device from every other one; part of the lease id
 * @param expiresAtMillis epoch milliseconds (Redis clock) at which the lease ends without a heartbeat
 * @param natType the NAT type the client reported
 * @param endpoints 0..8 endpoints
 */
public record DeviceLease(String deviceId, long nonce, long expiresAtMillis, NatType natType, List<Endpoint> endpoints) {
  public DeviceLease {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(natType, "natType");
    endpoints = List.copyOf(endpoints);
  }

  /** Whether this lease has ended at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis <= nowMillis;
  }

  /** Whether {@code other} describes the same reachability (device, registration, NAT, endpoints), whatever its expiry. */
  public boolean sameReachability(DeviceLease other) {
    return deviceId.equals(other.deviceId) && nonce == other.nonce && natType == other.natType
        && endpoints.equals(other.endpoints);
  }
}
