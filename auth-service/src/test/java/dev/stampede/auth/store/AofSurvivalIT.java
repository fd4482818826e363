package dev.stampede.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stampede.auth.domain.Grant;
import dev.stampede.auth.domain.Inputs;
import dev.stampede.auth.domain.Username;
import dev.stampede.testing.RedisFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AofSurvivalIT {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.withAppendOnly();

  @Test
  void accountsAndTickets_surviveAKilledRedis_withAof() throws Exception {
    try (Graph graph = new Graph(REDIS.uri())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));
      byte[] pw = Inputs.password("password", "password-1", 8);
      graph.accounts.create(Username.parse("username", "kate"), pw, graph.lane)
          .toCompletableFuture().get();
      Grant g = graph.accounts.login(Username.parse("username", "kate"), pw, "laptop", graph.lane)
          .toCompletableFuture().get();
      Thread.sleep(1_500); // appendfsync everysec

      REDIS.server().kill();
      REDIS.server().restart();
      await().atMost(Duration.ofSeconds(10)).until(() -> connected(graph));

      Grant resumed = graph.sessions.resume(g.resumeTicket(), "laptop", "").toCompletableFuture().get();
      assertThat(resumed.userId()).isEqualTo(g.userId());
      assertThat(graph.accounts.login(Username.parse("username", "kate"), pw, "laptop", graph.lane)
          .toCompletableFuture().get().userId()).isEqualTo(g.userId());
    }
  }

  /** The shared connection reconnects on demand; poke it the way the service's monitor does. */
  static boolean connected(Graph graph) {
    graph.redis.connect();
    return graph.redis.isConnected();
  }
}
