package dev.stampede.directory.domain;

/**
 * How an endpoint was found (ICE candidate types). The ordinal is part of the stored lease encoding (two bits):
 * append new values, never reorder, at most four.
 */
public enum EndpointKind {
  UNSPECIFIED,
  /** An address on the device's own interface. */
  HOST,
  /** The device's address as seen from outside its NAT. */
  SERVER_REFLEXIVE,
  /** An address on a relay. */
  RELAYED;

  private static final EndpointKind[] VALUES = values();

  /**
   * The value with this ordinal.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static EndpointKind ofOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("endpoint kind: " + ordinal + " (expected: 0.." + (VALUES.length - 1) + ")");
    }
    return VALUES[ordinal];
  }
}
