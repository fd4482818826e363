package dev.stampede.auth.store;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.auth.domain.Accounts;
import dev.stampede.auth.domain.Argon2Params;
import dev.stampede.auth.domain.HashingLane;
import dev.stampede.auth.domain.PasswordHasher;
import dev.stampede.auth.domain.ResumeTickets;
import dev.stampede.auth.domain.SessionPolicy;
import dev.stampede.auth.domain.Sessions;
import dev.stampede.tokens.Audiences;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionTokenMinter;
import dev.stampede.tokens.SessionTokenVerifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/** The domain wired to a real Redis, with cheap Argon2 parameters and fresh random keys, for store ITs. */
final class Graph implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);

  final String authKeys = KeyRing.randomSpec("a1", RANDOM);
  final String directoryKeys = KeyRing.randomSpec("d1", RANDOM);
  final String relayKeys = KeyRing.randomSpec("r1", RANDOM);
  final SharedRedis redis;
  final RedisAccountStore accountStore;
  final RedisSessionStore sessionStore;
  final PasswordHasher hasher;
  final ExecutorService hashingThreads = Executors.newFixedThreadPool(2);
  final HashingLane lane = work -> CompletableFuture.supplyAsync(work, hashingThreads);
  final Sessions sessions;
  final Accounts accounts;
  final SessionPolicy policy;
  final ConcurrentHashMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  final SessionTokenVerifier directoryVerifier;
  final SessionTokenVerifier relayVerifier;

  Graph(String redisUri) {
    this(redisUri, CHEAP, Clock.systemUTC(), Duration.ZERO);
  }

  Graph(String redisUri, Argon2Params params, Clock clock, Duration reuseGrace) {
    policy = new SessionPolicy(Duration.ofMinutes(15), Duration.ofDays(14), Duration.ofSeconds(10), reuseGrace);
    redis = SharedRedis.builder(redisUri).commandTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofMillis(500)).reconnectMax(Duration.ofMillis(200)).build();
    redis.connect();
    accountStore = new RedisAccountStore(redis::async);
    sessionStore = new RedisSessionStore(redis::async);
    hasher = new PasswordHasher(params, RANDOM);
    KeyRing auth = KeyRing.parse(Audiences.AUTH, authKeys);
    KeyRing directory = KeyRing.parse(Audiences.DIRECTORY, directoryKeys);
    KeyRing relay = KeyRing.parse(Audiences.RELAY, relayKeys);
    List<SessionTokenVerifier> verifiers = new ArrayList<>();
    for (KeyRing ring : List.of(auth, directory, relay)) {
      verifiers.add(SessionTokenVerifier.builder().keyRing(ring).clock(clock).build());
    }
    directoryVerifier = verifiers.get(1);
    relayVerifier = verifiers.get(2);
    sessions = new Sessions(sessionStore, new ResumeTickets(auth, RANDOM),
        SessionTokenMinter.of(List.of(auth, directory, relay)), verifiers.get(0), verifiers, policy, clock, RANDOM,
        (op, outcome) -> outcomes.computeIfAbsent(op + ":" + outcome, k -> new LongAdder()).increment());
    accounts = new Accounts(accountStore, hasher, sessions, clock, (op, outcome) -> { });
  }

  long outcome(String op, String outcome) {
    LongAdder n = outcomes.get(op + ":" + outcome);
    return n == null ? 0 : n.sum();
  }

  @Override
  public void close() {
    hashingThreads.shutdownNow();
    redis.close();
  }
}
