package dev.stampede.directory.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A user's presence at one instant: the devices that hold a live lease, ordered by device id. A user nobody knows is
 * indistinguishable from an offline one: both have no devices. Immutable and cheap to share between watchers.
 *
 * @param userId the user
 * @param devices live leases, ordered by device id
 */
public record Presence(String userId, List<DeviceLease> devices) {
  private static final Comparator<DeviceLease> BY_DEVICE = Comparator.comparing(DeviceLease::deviceId);

  public Presence {
    Objects.requireNonNull(userId, "userId");
    List<DeviceLease> sorted = new ArrayList<>(devices);
    sorted.sort(BY_DEVICE);
    devices = List.copyOf(sorted);
  }

  /** The presence of a user with no live lease. */
  public static Presence offline(String userId) {
    return new Presence(userId, List.of());
  }

  /**
   * The live leases among {@code leases} at {@code nowMillis} (a lease whose expiry has passed is gone even if
   * Redis has not deleted it yet).
   */
  public static Presence of(String userId, List<DeviceLease> leases, long nowMillis) {
    List<DeviceLease> live = new ArrayList<>(leases.size());
    for (DeviceLease lease : leases) {
      if (!lease.expiredAt(nowMillis)) {
        live.add(lease);
      }
    }
    return new Presence(userId, live);
  }

  /** True when at least one device holds a live lease. */
  public boolean online() {
    return !devices.isEmpty();
  }

  /** The earliest expiry among the devices, or {@link Long#MAX_VALUE} when offline. */
  public long earliestExpiryMillis() {
    long earliest = Long.MAX_VALUE;
    for (DeviceLease d : devices) {
      earliest = Math.min(earliest, d.expiresAtMillis());
    }
    return earliest;
  }

  /**
   * Whether {@code other} shows the same devices, endpoints and NAT types. Heartbeats move expiries without
   * changing presence, so watchers are not told about them.
   */
  public boolean sameReachability(Presence other) {
    if (other == null || !userId.equals(other.userId) || devices.size() != other.devices.size()) {
      return false;
    }
    for (int i = 0; i < devices.size(); i++) {
      if (!devices.get(i).sameReachability(other.devices.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** How a direct connection to this user would fare. */
  public RelayAdvice relayAdvice() {
    return RelayAdvice.forDevices(devices);
  }
}
