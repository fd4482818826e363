package dev.stampede.client;

/** The three Stampede services a client talks to. */
public enum Service {
  AUTH("auth"),
  DIRECTORY("directory"),
  RELAY("relay");

  private final String label;

  Service(String label) {
    this.label = label;
  }

  /** The short lower-case name used in events, metrics and messages. */
  public String label() {
    return label;
  }
}
