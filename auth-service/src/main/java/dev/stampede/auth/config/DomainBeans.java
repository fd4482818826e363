package dev.stampede.auth.config;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.auth.domain.Accounts;
import dev.stampede.auth.domain.Argon2Inlining;
import dev.stampede.auth.domain.Argon2Params;
import dev.stampede.auth.domain.Outcomes;
import dev.stampede.auth.domain.PasswordHasher;
import dev.stampede.auth.domain.ResumeTickets;
import dev.stampede.auth.domain.SessionPolicy;
import dev.stampede.auth.domain.Sessions;
import dev.stampede.auth.store.RedisAccountStore;
import dev.stampede.auth.store.RedisSessionStore;
import dev.stampede.tokens.Audiences;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionTokenMinter;
import dev.stampede.tokens.SessionTokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Wires the domain from configuration: key rings, token minter and verifiers, the Argon2id hasher, stores on the
 * shared Redis connection, and the {@link Accounts} and {@link Sessions} services. Configuration errors (a missing
 * or malformed key ring, out-of-range parameters) fail the start with a message naming the key.
 */
@Singleton
public class DomainBeans {
  private static final Logger LOG = Logger.getLogger(DomainBeans.class);
  private final SecureRandom random = new SecureRandom();

  /** The three rings auth holds, in the order auth, directory, relay. */
  public record Rings(KeyRing auth, KeyRing directory, KeyRing relay) {
    List<KeyRing> all() {
      return List.of(auth, directory, relay);
    }
  }

  @Produces
  @Singleton
  Rings rings(TokenSettings tokens) {
    return new Rings(ring(Audiences.AUTH, tokens.keys().auth()),
        ring(Audiences.DIRECTORY, tokens.keys().directory()),
        ring(Audiences.RELAY, tokens.keys().relay()));
  }

  private static KeyRing ring(String audience, Optional<String> spec) {
    return KeyRing.parse(audience, spec.orElseThrow(() -> new IllegalStateException(KeyRing.CONFIG_PREFIX + audience
        + ": not set (env STAMPEDE_TOKEN_KEYS_" + audience.toUpperCase(java.util.Locale.ROOT)
        + "; expected: <kid>:<base64url 32-byte key>[,...])")));
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  PasswordHasher passwordHasher(AuthSettings settings, MeterRegistry registry) {
    AuthSettings.Argon2 a = settings.argon2();
    Argon2Params params;
    try {
      params = new Argon2Params(a.memoryKib(), a.iterations(), a.parallelism());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("stampede.auth.argon2." + e.getMessage(), e);
    }
    if (!params.equals(Argon2Params.OWASP_MINIMUM)) {
      LOG.warnf("Argon2id parameters %s differ from the OWASP minimum %s", params, Argon2Params.OWASP_MINIMUM);
    }
    // One kept Argon2 memory per hashing thread: log-ins then allocate nothing on the heap.
    PasswordHasher hasher = new PasswordHasher(params, random, settings.hashing().threadCount());
    Argon2Inlining.Result inlining = Argon2Inlining.install();
    if (inlining.installed()) {
      LOG.debugf("Argon2 JIT directive: %s", inlining.detail());
    } else {
      LOG.warnf("Argon2 JIT directive not installed (%s): log-ins may cost up to twice the CPU in this JVM",
          inlining.detail());
    }
    AuthMetrics.bindHashCounters(registry, hasher);
    return hasher;
  }

  @Produces
  @Singleton
  SessionPolicy sessionPolicy(AuthSettings settings, TokenSettings tokens) {
    return new SessionPolicy(settings.session().ttl(), settings.ticket().ttl(), tokens.clockSkew(),
        settings.ticket().reuseGrace());
  }

  @Produces
  @Singleton
  Sessions sessions(SharedRedis redis, Rings rings, SessionPolicy policy, TokenSettings tokens, Clock clock,
      Outcomes outcomes) {
    List<SessionTokenVerifier> verifiers = new ArrayList<>();
    for (KeyRing ring : rings.all()) {
      verifiers.add(SessionTokenVerifier.builder().keyRing(ring).clock(clock)
          .allowedClockSkew(tokens.clockSkew()).build());
    }
    return new Sessions(new RedisSessionStore(redis::async), new ResumeTickets(rings.auth(), random),
        SessionTokenMinter.of(rings.all()), verifiers.get(0), verifiers, policy, clock, random, outcomes);
  }

  @Produces
  @Singleton
  Accounts accounts(SharedRedis redis, PasswordHasher hasher, Sessions sessions, Clock clock, Outcomes outcomes) {
    return new Accounts(new RedisAccountStore(redis::async), hasher, sessions, clock, outcomes);
  }
}
