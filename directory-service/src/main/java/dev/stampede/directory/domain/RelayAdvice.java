package dev.stampede.directory.domain;

import java.util.List;

/**
 * Whether a direct (hole-punched) connection to a user is likely to work, judged from the NAT types its devices
 * reported. The caller connects to one device, so the user's advice is that of its most reachable device.
 */
public enum RelayAdvice {
  /** The user is offline: there is nothing to connect to. */
  UNSPECIFIED,
  /** Hole punching should work (open or cone NAT). */
  DIRECT,
  /** Hole punching may fail (symmetric NAT, or the NAT type is unknown): try direct, fall back to a relay. */
  RELAY_RECOMMENDED,
  /** No direct path (UDP blocked, or no endpoint at all): use a relay. */
  RELAY_REQUIRED;

  /** The advice for a user present on {@code devices} (no devices: {@link #UNSPECIFIED}). */
  public static RelayAdvice forDevices(List<DeviceLease> devices) {
    RelayAdvice best = UNSPECIFIED;
    for (DeviceLease device : devices) {
      RelayAdvice advice = forDevice(device);
      if (best == UNSPECIFIED || advice.ordinal() < best.ordinal()) {
        best = advice;
      }
    }
    return best;
  }

  /** The advice for one device. */
  public static RelayAdvice forDevice(DeviceLease device) {
    if (device.endpoints().isEmpty()) {
      return RELAY_REQUIRED;
    }
    switch (device.natType()) {
      case OPEN:
      case FULL_CONE:
      case RESTRICTED_CONE:
      case PORT_RESTRICTED_CONE:
        return DIRECT;
      case BLOCKED:
        return RELAY_REQUIRED;
      case SYMMETRIC:
      case UNSPECIFIED:
      default:
        return RELAY_RECOMMENDED;
    }
  }
}
