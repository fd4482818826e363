package dev.stampede.admission.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.testing.RedisFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared retry calendar: two replicas filling one calendar in Redis. */
class ClusterRetryCalendarIT {
  @RegisterExtension
  final RedisFixture redis = RedisFixture.create();

  private static LocalRetryCalendar local(double rate) {
    return local(rate, Duration.ofMillis(100), Duration.ofSeconds(30));
  }

  private static LocalRetryCalendar local(double rate, Duration slot, Duration horizon) {
    return LocalRetryCalendar.builder(() -> rate).minRate(1).slot(slot).horizon(horizon).share(1.0).build();
  }

  @Test
  void replicas_shareSlots_andNeverPromiseMoreThanTheirSummedBudget() throws Exception {
    try (SharedRedis shared = SharedRedis.builder(redis.uri()).build()) {
      shared.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
      // 1 s slots: the 160 bookings below finish long before the slots they fill come due, even on a slow machine.
      LocalRetryCalendar localA = local(5, Duration.ofSeconds(1), Duration.ofSeconds(60)); // 5 per slot
      LocalRetryCalendar localB = local(3, Duration.ofSeconds(1), Duration.ofSeconds(60)); // 3 per slot
      ClusterRetryCalendar a = new ClusterRetryCalendar(shared, "auth", localA, localA, Duration.ofSeconds(1));
      ClusterRetryCalendar b = new ClusterRetryCalendar(shared, "auth", localB, localB, Duration.ofSeconds(1));
      a.bookAsync().toCompletableFuture().get(2, TimeUnit.SECONDS); // both replicas registered
      b.bookAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);

      Map<Long, Integer> perSlot = new HashMap<>();
      for (int i = 0; i < 160; i++) {
        ClusterRetryCalendar c = i % 2 == 0 ? a : b;
        long now = System.currentTimeMillis();
        long delay = c.bookAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
        perSlot.merge((now + delay) / 1000, 1, Integer::sum);
      }

      // What Redis holds is the invariant: no slot got more promises than the replicas' summed budget (5 + 3).
      List<String> fields = List.of(redis.server().command("HGETALL", "{stampede:calendar:auth}:slots")
          .trim().split("\\s+"));
      int slots = 0;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if (!fields.get(i).equals("cursor")) {
          slots++;
          assertThat(Integer.parseInt(fields.get(i + 1))).as("slot " + fields.get(i)).isBetween(1, 8);
        }
      }
      // 162 promises at 8 per slot take about 20 slots; either replica alone would have needed more.
      assertThat(slots).isBetween(20, 26);
      assertThat(perSlot.values().stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(5);
    }
  }

  @Test
  void redisGone_fallsBackToTheLocalCalendarQuickly() throws Exception {
    try (SharedRedis shared = SharedRedis.builder(redis.uri()).build()) {
      shared.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
      LocalRetryCalendar local = local(50);
      ClusterRetryCalendar c = new ClusterRetryCalendar(shared, "relay", local, local, Duration.ofMillis(50));
      redis.server().kill();

      long started = System.nanoTime();
      long delay = c.bookAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);

      assertThat(delay).isBetween(100L, 300L);
      assertThat(System.nanoTime() - started).isLessThan(TimeUnit.MILLISECONDS.toNanos(1000));
      assertThat(local.promisedAt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay))).isPositive();
      // During the back-off no Redis round trip is even tried.
      assertThat(c.bookAsync().toCompletableFuture().isDone()).isTrue();
    }
  }

  @Test
  void script_keysShareOneHashTag() {
    String source = ClusterRetryCalendar.script().source();
    assertThat(source).contains("KEYS[1]", "KEYS[2]", "TIME");
    assertThat(List.of("{stampede:calendar:auth}:slots", "{stampede:calendar:auth}:replicas"))
        .allMatch(k -> k.startsWith("{stampede:calendar:auth}"));
  }
}
