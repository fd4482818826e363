package dev.stampede.auth.config;

import dev.stampede.auth.domain.Outcomes;
import dev.stampede.auth.domain.PasswordHasher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;

/**
 * auth's own metrics (gRPC server and admission metrics come from their libraries):
 *
 * <ul>
 *   <li>{@code stampede_auth_password_hashes_total{purpose}}: Argon2id hashes computed (sign_up, login, rehash,
 *       seed). A reboot storm that resumes as designed leaves it still.</li>
 *   <li>{@code stampede_auth_outcomes_total{op,outcome}}: the outcome of each log-in, resume and log-out, finer
 *       than status codes (e.g. resume {@code rotated}, {@code reused}, {@code unknown}, {@code wrong_device}).</li>
 * </ul>
 */
@Singleton
public class AuthMetrics {
  @Produces
  @Singleton
  Outcomes outcomes(MeterRegistry registry) {
    ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    return (op, outcome) -> counters.computeIfAbsent(op + '/' + outcome, k -> Counter
            .builder("stampede.auth.outcomes")
            .description("Outcomes of auth operations")
            .tag("op", op)
            .tag("outcome", outcome)
            .register(registry))
        .increment();
  }

  /** Registers the hash counters; called once the hasher exists. */
  static void bindHashCounters(MeterRegistry registry, PasswordHasher hasher) {
    for (PasswordHasher.Purpose purpose : PasswordHasher.Purpose.values()) {
      FunctionCounter.builder("stampede.auth.password.hashes", hasher, h -> h.hashesComputed(purpose))
          .description("Argon2id password hashes computed")
          .tag("purpose", purpose.label())
          .register(registry);
    }
  }
}
