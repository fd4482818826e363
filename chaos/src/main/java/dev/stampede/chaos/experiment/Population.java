package dev.stampede.chaos.experiment;

import java.util.Optional;

/**
 * The virtual clients of an experiment: how many, and how their accounts are named.
 *
 * @param clients how many virtual clients (and seeded accounts), at least 1
 * @param usernamePrefix the account name prefix ({@code prefix + index}); empty for a fresh prefix per run, so that
 *     a run never meets accounts (with other passwords) left by an earlier one
 */
public record Population(int clients, Optional<String> usernamePrefix) {

  /** Most clients one experiment may ask for: the storm's memory and file-descriptor budget on one JVM. */
  public static final int MAX_CLIENTS = 200_000;

  /** @throws IllegalArgumentException if {@code clients} is out of range */
  public Population {
    if (clients < 1 || clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("clients: " + clients + " (expected: 1.." + MAX_CLIENTS + ")");
    }
    usernamePrefix = usernamePrefix == null ? Optional.empty() : usernamePrefix;
  }

  /** The same population with another size. */
  public Population withClients(int n) {
    return new Population(n, usernamePrefix);
  }
}
