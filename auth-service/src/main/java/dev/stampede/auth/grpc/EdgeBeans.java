package dev.stampede.auth.grpc;

import dev.stampede.admission.Admission;
import dev.stampede.admission.budget.Budgets;
import dev.stampede.admission.executor.WorkerPool;
import dev.stampede.auth.config.AuthSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Producers of the edge's collaborators: the hashing pool, the admin gate and the failed-log-in throttle. */
@Singleton
public class EdgeBeans {
  @Produces
  @Singleton
  WorkerPool hashingPool(Admission admission, AuthSettings settings) {
    return admission.newWorkerPool("argon2", settings.hashing().threadCount(), settings.hashing().queueSize());
  }

  void closeHashingPool(@Disposes WorkerPool pool) {
    pool.close();
  }

  @Produces
  @Singleton
  AdminGate adminGate(AuthSettings settings) {
    return new AdminGate(settings.admin().credential(), settings.admin().seedEnabled());
  }

  @Produces
  @Singleton
  LoginThrottle loginThrottle(Budgets budgets, AuthSettings settings) {
    AuthSettings.LoginFailures f = settings.loginFailures();
    return new LoginThrottle(
        budgets.budget("login-fail-account", f.perAccountPerMinute() / 60.0, f.perAccountBurst()),
        budgets.budget("login-fail-source", f.perSourcePerSecond(), f.perSourceBurst()));
  }
}
