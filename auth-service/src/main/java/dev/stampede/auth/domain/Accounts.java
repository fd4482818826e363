package dev.stampede.auth.domain;

import dev.stampede.auth.domain.AccountStore.NewAccount;
import dev.stampede.auth.domain.PasswordHasher.Purpose;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Accounts: sign-up, bulk seeding for experiments, and password log-in. All password hashing runs on the call's
 * {@link HashingLane}; everything else is non-blocking.
 *
 * <p>Thread-safe.
 */
public final class Accounts {
  private static final Logger LOG = Logger.getLogger(Accounts.class);

  /** Bound on SeedAccounts' count per call (auth.proto). */
  public static final int MAX_SEED = 10_000;

  /** What SeedAccounts did. */
  public record SeedResult(int created, int existing, List<String> userIds) {
  }

  private final AccountStore store;
  private final PasswordHasher hasher;
  private final Sessions sessions;
  private final Clock clock;
  private final Outcomes outcomes;

  public Accounts(AccountStore store, PasswordHasher hasher, Sessions sessions, Clock clock, Outcomes outcomes) {
    this.store = store;
    this.hasher = hasher;
    this.sessions = sessions;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  /**
   * Creates an account. A name already taken is refused before any hashing work.
   *
   * @return the new user id; a stage failing with {@link AccountExistsException}, the lane's refusal or
   *     {@link StoreUnavailableException}
   */
  public CompletionStage<String> create(Username name, byte[] password, HashingLane hashing) {
    String userId = name.userId();
    return store.exists(userId)
        .thenCompose(exists -> {
          if (exists) {
            throw new AccountExistsException();
          }
          return hashing.submit(() -> hasher.hash(password, Purpose.SIGN_UP));
        })
        .thenCompose(phc -> store.create(new NewAccount(userId, name.value()), phc, clock.millis()))
        .thenApply(created -> {
          if (!created) {
            throw new AccountExistsException(); // lost a race with a concurrent sign-up of the same name
          }
          outcomes.record("create_account", "created");
          LOG.debugf("account %s created", userId);
          return userId;
        });
  }

  /**
   * Creates the accounts {@code prefix + i} for {@code i} in {@code [firstIndex, firstIndex + count)}, all with
   * one hash of {@code password} (one hash per call: synthetic experiment accounts only).
   */
  public CompletionStage<SeedResult> seed(Username prefix, long firstIndex, int count, byte[] password,
      HashingLane hashing) {
    List<NewAccount> accounts = new ArrayList<>(count);
    for (long i = firstIndex; i < firstIndex + count; i++) {
      Username name = Username.parse("username_prefix", prefix.value() + i);
      accounts.add(new NewAccount(name.userId(), name.value()));
    }
    return hashing.submit(() -> hasher.hash(password, Purpose.SEED))
        .thenCompose(phc -> store.createAll(accounts, phc, clock.millis()))
        .thenApply(flags -> {
          int created = 0;
          List<String> ids = new ArrayList<>(accounts.size());
          for (int i = 0; i < accounts.size(); i++) {
            created += flags.get(i) ? 1 : 0;
            ids.add(accounts.get(i).userId());
          }
          outcomes.record("seed_accounts", "seeded");
          LOG.infof("seeded %d accounts (%d existed)", created, accounts.size() - created);
          return new SeedResult(created, accounts.size() - created, ids);
        });
  }

  /**
   * Verifies a password and opens a session on a device. An unknown user costs the same hash as a wrong password
   * and fails the same way. A hash made with weaker parameters than the current ones is replaced (one more hash,
   * once per account).
   *
   * @return a stage failing with {@link AuthFailure} ({@code BAD_CREDENTIALS}), the lane's refusal or
   *     {@link StoreUnavailableException}
   */
  public CompletionStage<Grant> login(Username name, byte[] password, String deviceId, HashingLane hashing) {
    String userId = name.userId();
    return store.passwordHash(userId)
        .thenCompose(phc -> hashing.submit(() -> check(password, phc))
            .thenCompose(rehashed -> rehashed == null
                ? CompletableFuture.completedFuture(null)
                : store.replacePasswordHash(userId, phc, rehashed).thenApply(replaced -> {
                  if (replaced) {
                    LOG.infof("account %s re-hashed with %s", userId, hasher.params());
                  }
                  return null;
                })))
        .thenCompose(ignored -> sessions.open(userId, deviceId))
        .whenComplete((grant, error) -> outcomes.record("login", grant != null ? "ok" : outcomeOf(error)));
  }

  /** Runs on the hashing executor: verifies, and returns a new hash when the stored one is outdated. */
  private String check(byte[] password, String phc) {
    if (!hasher.verify(password, phc, Purpose.LOGIN)) {
      throw new AuthFailure(AuthFailure.Reason.BAD_CREDENTIALS);
    }
    return hasher.needsRehash(phc) ? hasher.hash(password, Purpose.REHASH) : null;
  }

  private static String outcomeOf(Throwable error) {
    Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (e instanceof AuthFailure) {
      return "bad_credentials";
    } else if (e instanceof StoreUnavailableException) {
      return "store_unavailable";
    }
    return "not_done"; // refused by the hashing pool (overload, caller gone) or a bug
  }
}
