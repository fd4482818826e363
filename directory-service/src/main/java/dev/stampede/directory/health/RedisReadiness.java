package dev.stampede.directory.health;

import dev.stampede.admission.redis.SharedRedis;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Redis answers a {@code PING} on the shared connection within a second. Readiness only: a pod
 * whose Redis is down stays alive (no crash-loop) and answers {@code UNAVAILABLE} with a retry delay.
 */
@Readiness
@Singleton
public class RedisReadiness implements HealthCheck {
  private final SharedRedis redis;

  @Inject
  public RedisReadiness(SharedRedis redis) {
    this.redis = redis;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("directory-redis");
    if (!redis.isConnected()) {
      redis.connect();
      return b.down().withData("problem", "not connected").build();
    }
    try {
      String pong = redis.async().ping().get(1, TimeUnit.SECONDS);
      return "PONG".equals(pong) ? b.up().build() : b.down().withData("problem", "unexpected reply").build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return b.down().withData("problem", "interrupted").build();
    } catch (Exception e) {
      return b.down().withData("problem", e.getClass().getSimpleName()).build();
    }
  }
}
