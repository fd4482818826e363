package dev.stampede.auth.domain;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where accounts live. Every stage completes on the store's I/O thread, never blocks, and fails with
 * {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface AccountStore {
  /** An account to create: its id, normalised name. */
  record NewAccount(String userId, String name) {
  }

  /** Whether an account with this id exists. */
  CompletionStage<Boolean> exists(String userId);

  /** Creates the account unless one with this id exists; completes with {@code true} when it was created. */
  CompletionStage<Boolean> create(NewAccount account, String passwordHash, long nowMillis);

  /**
   * Creates every account that does not exist yet, all with the same password hash; completes with one flag per
   * account, in order: {@code true} when created, {@code false} when it existed and was left untouched.
   */
  CompletionStage<List<Boolean>> createAll(List<NewAccount> accounts, String passwordHash, long nowMillis);

  /** The stored password hash (PHC string) of an account, or {@code null} when there is no such account. */
  CompletionStage<String> passwordHash(String userId);

  /**
   * Replaces an account's password hash if it is still {@code expected} (a concurrent change wins); completes
   * with whether it was replaced.
   */
  CompletionStage<Boolean> replacePasswordHash(String userId, String expected, String replacement);
}
