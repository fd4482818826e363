package dev.stampede.chaos.runner;

import dev.stampede.api.auth.v1.SeedAccountsRequest;
import dev.stampede.api.auth.v1.SeedAccountsResponse;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import java.time.Duration;

/**
 * Creates an experiment's accounts in bulk through auth's admin {@code SeedAccounts} (DESIGN §2: population set-up
 * goes through an admin RPC, never through auth's classes), in batches of at most {@link #BATCH}.
 *
 * <p>Stateless.
 */
final class Seeder {
  /** The contract's maximum per call. */
  static final int BATCH = 10_000;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private Seeder() {
  }

  /**
   * Seeds accounts {@code prefix + i} for i in [first, first + count) with one password.
   *
   * @throws RunFailedException when auth refuses (a wrong or missing admin credential, seeding disabled) or
   *     answers with a count that does not add up
   */
  static void seed(StampedeClient client, String credential, String prefix, String password, int first, int count) {
    CallSettings settings = CallSettings.inherit().withServiceCredential(credential).withDeadline(DEADLINE);
    for (int from = first; from < first + count; from += BATCH) {
      int n = Math.min(BATCH, first + count - from);
      SeedAccountsRequest request = SeedAccountsRequest.newBuilder().setUsernamePrefix(prefix).setFirstIndex(from)
          .setCount(n).setPassword(password).build();
      SeedAccountsResponse response;
      try {
        response = client.auth().seedAccounts(request, settings);
      } catch (RuntimeException e) {
        throw new RunFailedException("seed: SeedAccounts of " + n + " accounts from index " + from + " failed: "
            + e.getMessage());
      }
      if (response.getCreated() + response.getExisting() != n) {
        throw new RunFailedException("seed: SeedAccounts answered created " + response.getCreated() + " + existing "
            + response.getExisting() + " for " + n + " accounts");
      }
    }
  }
}
