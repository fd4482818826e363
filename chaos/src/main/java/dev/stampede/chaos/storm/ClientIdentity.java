package dev.stampede.chaos.storm;

import java.util.Objects;

/**
 * Who a virtual client is: its index in the population, its seeded account and its device.
 *
 * @param index 0-based index in the population
 * @param username the account name ({@code prefix + index})
 * @param password the account's password (never logged)
 * @param deviceId the client installation's id
 */
public record ClientIdentity(int index, String username, String password, String deviceId) {

  /** Checks presence. */
  public ClientIdentity {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(deviceId, "deviceId");
  }

  /** The identity of client {@code index} of a population seeded with {@code prefix} and {@code password}. */
  public static ClientIdentity of(String prefix, String password, int index) {
    return new ClientIdentity(index, prefix + index, password, "dev-" + prefix + index);
  }

  @Override
  public String toString() {
    return "client " + index + " (" + username + ")";
  }
}
