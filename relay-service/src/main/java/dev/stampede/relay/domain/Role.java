package dev.stampede.relay.domain;

/** The two sides of an allocation: the user who allocated it and the peer they invited. */
public enum Role {
  OWNER,
  PEER;

  /** The other side. */
  public Role other() {
    return this == OWNER ? PEER : OWNER;
  }
}
