package dev.stampede.directory.domain;

/**
 * The NAT in front of a device, as the client detected it (the classic STUN classes of RFC 3489). The ordinal is
 * part of the stored lease encoding: append new values, never reorder.
 */
public enum NatType {
  /** The client did not say (or could not tell). */
  UNSPECIFIED,
  /** No NAT: the device has a public address. */
  OPEN,
  FULL_CONE,
  RESTRICTED_CONE,
  PORT_RESTRICTED_CONE,
  /** A new mapping per destination: hole punching usually fails. */
  SYMMETRIC,
  /** No UDP at all. */
  BLOCKED;

  private static final NatType[] VALUES = values();

  /**
   * The value with this ordinal.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static NatType ofOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("nat type: " + ordinal + " (expected: 0.." + (VALUES.length - 1) + ")");
    }
    return VALUES[ordinal];
  }
}
