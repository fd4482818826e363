package dev.stampede.chaos.experiment;

/** How the clients of a storm wave come back within the wave's window. */
public enum Arrival {
  /** All at the start of the wave. */
  ALL_AT_ONCE,
  /** Evenly spread over the window: a constant return rate of clients ÷ window. */
  UNIFORM;

  /** The spelling in files: {@code all-at-once}, {@code uniform}. */
  public String id() {
    return this == ALL_AT_ONCE ? "all-at-once" : "uniform";
  }
}
