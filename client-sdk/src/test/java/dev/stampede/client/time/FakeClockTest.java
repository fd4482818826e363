package dev.stampede.client.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void forwardTime_runsTasksInDueOrder_eachSeeingItsOwnDueTime() {
    FakeClock clock = new FakeClock();
    List<String> seen = new ArrayList<>();
    clock.scheduler().schedule(() -> seen.add("b@" + clock.nanoTime()), 250, TimeUnit.MILLISECONDS);
    clock.scheduler().schedule(() -> seen.add("a@" + clock.nanoTime()), 100, TimeUnit.MILLISECONDS);
    clock.scheduler().schedule(() -> seen.add("c@" + clock.nanoTime()), 2, TimeUnit.SECONDS);

    int ran = clock.forwardTime(1, TimeUnit.SECONDS);

    assertThat(ran).isEqualTo(2);
    assertThat(seen).containsExactly("a@100000000", "b@250000000");
    assertThat(clock.nanoTime()).isEqualTo(1_000_000_000L);
    assertThat(clock.numPendingTasks()).isEqualTo(1);
  }

  @Test
  void tasksScheduledByTasks_runInTheSameForward_whenDue() {
    FakeClock clock = new FakeClock();
    List<Long> seen = new ArrayList<>();
    clock.scheduler().schedule(() -> {
      seen.add(clock.nanoTime());
      clock.scheduler().schedule(() -> seen.add(clock.nanoTime()), 300, TimeUnit.MILLISECONDS);
    }, 200, TimeUnit.MILLISECONDS);

    clock.forward(Duration.ofSeconds(1));

    assertThat(seen).containsExactly(200_000_000L, 500_000_000L);
  }

  @Test
  void cancelledTask_neverRuns() {
    FakeClock clock = new FakeClock();
    List<String> seen = new ArrayList<>();
    ScheduledFuture<?> f = clock.scheduler().schedule(() -> seen.add("x"), 1, TimeUnit.SECONDS);

    assertThat(f.cancel(false)).isTrue();
    clock.forward(Duration.ofSeconds(5));

    assertThat(seen).isEmpty();
    assertThat(f.isCancelled()).isTrue();
    assertThat(clock.numPendingTasks()).isZero();
  }

  @Test
  void fixedRateTask_repeatsUntilCancelled() {
    FakeClock clock = new FakeClock();
    List<Long> seen = new ArrayList<>();
    ScheduledFuture<?> f = clock.scheduler().scheduleAtFixedRate(() -> seen.add(clock.nanoTime() / 1_000_000),
        10, 100, TimeUnit.MILLISECONDS);

    clock.forward(Duration.ofMillis(350));
    f.cancel(false);
    clock.forward(Duration.ofSeconds(1));

    assertThat(seen).containsExactly(10L, 110L, 210L, 310L);
  }

  @Test
  void wallClock_movesWithMonotonicTime() {
    FakeClock clock = new FakeClock(Instant.parse("2030-05-01T10:00:00Z"));

    clock.forward(Duration.ofMillis(1500));

    assertThat(clock.currentTimeMillis()).isEqualTo(Instant.parse("2030-05-01T10:00:01.500Z").toEpochMilli());
    assertThat(clock.deadlineTicker().nanoTime()).isEqualTo(1_500_000_000L);
  }

  @Test
  void negativeForward_isRejected() {
    assertThatThrownBy(() -> new FakeClock().forwardTime(-1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount");
  }
}
