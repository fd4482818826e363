package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Skype2007ScheduleTest {
  private static final long S = 1_000_000_000L;
  private final Skype2007Schedule schedule = new Skype2007Schedule(ClientProfile.Skype2007.DEFAULT);

  @Test
  void everyTryTimingOut_triesEvery11sAndStartsOverAfterFive() {
    List<Skype2007Schedule.Try> tries = new ArrayList<>();
    Skype2007Schedule.Try t = schedule.comeBack(100 * S);
    for (int i = 0; i < 11; i++) {
      tries.add(t);
      // The try times out at its deadline, then the fixed wait.
      t = schedule.failed(t.deadlineNanos(), -1);
    }

    assertThat(tries).extracting(x -> (x.atNanos() - 100 * S) / S)
        .containsExactly(0L, 11L, 22L, 33L, 44L, 55L, 66L, 77L, 88L, 99L, 110L);
    assertThat(tries).extracting(Skype2007Schedule.Try::cycle).containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3);
    assertThat(tries).extracting(Skype2007Schedule.Try::tryInCycle).containsExactly(1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1);
    assertThat(tries).extracting(Skype2007Schedule.Try::newConnection)
        .containsExactly(true, false, false, false, false, true, false, false, false, false, true);
    assertThat(tries).allSatisfy(x -> assertThat(x.deadlineNanos() - x.atNanos()).isEqualTo(5 * S));
  }

  @Test
  void pushback_isIgnored_theRetryIsAFixedSixSecondsWithoutJitter() {
    Skype2007Schedule.Try first = schedule.comeBack(0);
    // Rejected after 3 ms with a request to come back in 40 s.
    Skype2007Schedule.Try second = schedule.failed(3_000_000L, 40_000);
    Skype2007Schedule.Try third = schedule.failed(second.atNanos() + 1_000_000L, 40_000);

    assertThat(first.atNanos()).isZero();
    assertThat(second.atNanos()).isEqualTo(6 * S + 3_000_000L);
    assertThat(third.atNanos() - second.atNanos()).isEqualTo(6 * S + 1_000_000L);
  }

  @Test
  void success_resetsTheCount() {
    Skype2007Schedule.Try t = schedule.comeBack(0);
    t = schedule.failed(t.deadlineNanos(), -1);
    t = schedule.failed(t.deadlineNanos(), -1);
    assertThat(schedule.triesSoFar()).isEqualTo(3);
    schedule.succeeded();
    assertThat(schedule.triesSoFar()).isZero();

    Skype2007Schedule.Try again = schedule.comeBack(50 * S);
    assertThat(again.cycle()).isEqualTo(1);
    assertThat(again.tryInCycle()).isEqualTo(1);
    assertThat(again.newConnection()).isTrue();
  }

  @Test
  void cyclePause_delaysTheStartOver() {
    Skype2007Schedule s = new Skype2007Schedule(
        new ClientProfile.Skype2007(Duration.ofSeconds(5), Duration.ofSeconds(6), 2, Duration.ofSeconds(30)));
    Skype2007Schedule.Try t = s.comeBack(0);
    t = s.failed(t.deadlineNanos(), -1);
    Skype2007Schedule.Try startOver = s.failed(t.deadlineNanos(), -1);

    assertThat(startOver.atNanos()).isEqualTo((11 + 5 + 6 + 30) * S);
    assertThat(startOver.cycle()).isEqualTo(2);
  }

  @Test
  void failedBeforeComingBack_isABug() {
    assertThatThrownBy(() -> schedule.failed(0, -1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void offeredPeriod_isTimeoutPlusRetry() {
    assertThat(ClientProfile.Skype2007.DEFAULT.periodWhenTimingOut()).isEqualTo(Duration.ofSeconds(11));
  }
}
