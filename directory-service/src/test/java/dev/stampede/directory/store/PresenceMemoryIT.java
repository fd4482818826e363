package dev.stampede.directory.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.EndpointKind;
import dev.stampede.directory.domain.NatType;
import dev.stampede.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis memory per present device, measured the way {@code ./stampede bench presence-memory} does: {@code INFO memory}
 * before and after registering N leases through the real scripts. The encoding is a design decision (see
 * {@link DeviceLeaseCodec}); this test keeps it from regressing past the 300-byte budget.
 */
class PresenceMemoryIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static final int USERS = 10_000;

  @Test
  void presentDevice_costsAtMost300BytesOfRedisMemory() throws Exception {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(BinaryCommands.CODEC)) {
      PresenceStore store = new PresenceStore(connection::async, Duration.ofMinutes(10), 16);
      // A typical client: a host candidate and a server-reflexive one, user ids as auth issues them (23 chars),
      // device ids of 16 characters.
      List<Endpoint> endpoints = List.of(
          new Endpoint("192.168.1.23", 50123, EndpointKind.HOST),
          new Endpoint("203.0.113.41", 61000, EndpointKind.SERVER_REFLEXIVE));
      redis.server().command("MEMORY", "PURGE");
      long before = usedMemory();
      long t0 = System.nanoTime();
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        String user = String.format("u%022d", i);
        String device = String.format("dev-%012d", i);
        inFlight.add(store.register(PresenceStoreIT.session(user, device), endpoints, NatType.PORT_RESTRICTED_CONE)
            .toCompletableFuture());
        if (inFlight.size() == 256) {
          CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
          inFlight.clear();
        }
      }
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long after = usedMemory();
      System.out.printf("registered %d in %d ms%n", USERS, (System.nanoTime() - t0) / 1_000_000);
      double perDevice = (after - before) / (double) USERS;
      String version = field(redis.server().command("INFO", "server"), "redis_version");
      String encoding = redis.server().command("OBJECT", "ENCODING", "{u:" + String.format("u%022d", 0) + "}:p");
      System.out.printf("presence memory: %.1f bytes per present device (Redis %s, %s, %d users x 1 device)%n",
          perDevice, version, encoding.trim(), USERS);
      assertThat(encoding.trim()).isIn("listpack", "ziplist");
      assertThat(perDevice).isLessThanOrEqualTo(300);
    } finally {
      client.shutdown();
    }
  }

  private static long usedMemory() {
    return Long.parseLong(field(redis.server().command("INFO", "memory"), "used_memory"));
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new IllegalStateException(name + " not in INFO");
  }
}
