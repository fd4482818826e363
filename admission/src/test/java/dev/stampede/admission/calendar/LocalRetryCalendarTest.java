package dev.stampede.admission.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.admission.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalRetryCalendarTest {
  private static final long SLOT = Duration.ofMillis(100).toNanos();
  private final FakeTicker ticker = new FakeTicker();
  private final AtomicReference<Double> rate = new AtomicReference<>(200.0);

  private LocalRetryCalendar calendar(double jitter) {
    return LocalRetryCalendar.builder(rate::get)
        .slot(Duration.ofMillis(100))
        .horizon(Duration.ofSeconds(10))
        .share(0.9)
        .minRate(10)
        .ticker(ticker)
        .random(() -> jitter)
        .build();
  }

  @Test
  void budget_isTheMeasuredThroughputPerSlotTimesTheShare() {
    assertThat(calendar(0).budget()).isEqualTo(18); // 200/s * 0.1 s * 0.9
    rate.set(0.0);
    assertThat(calendar(0).budget()).isEqualTo(1); // min rate 10/s -> 0.9 -> at least 1
  }

  @Test
  void bookings_neverPromiseMorePerSlotThanTheBudget() {
    LocalRetryCalendar c = calendar(0.5);
    long now = ticker.getAsLong();
    Map<Long, Integer> perSlot = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      long delayMs = c.bookMillis();
      long slot = Math.floorDiv(now + Duration.ofMillis(delayMs).toNanos(), SLOT);
      perSlot.merge(slot, 1, Integer::sum);
    }
    assertThat(perSlot.values()).allMatch(n -> n <= 18);
    assertThat(perSlot).hasSizeGreaterThanOrEqualTo(1000 / 18);
  }

  @Test
  void delays_areAtLeastTheMinimumAndJitteredInsideTheSlot() {
    long low = calendar(0.0).bookMillis();
    long high = calendar(0.99).bookMillis();
    assertThat(low).isGreaterThanOrEqualTo(100);
    assertThat(high - low).isBetween(90L, 99L);
  }

  @Test
  void sustainedOverload_movesTheSlotsHandedOutForward() {
    LocalRetryCalendar c = calendar(0);
    long previous = 0;
    long first = c.bookMillis();
    for (int second = 0; second < 5; second++) {
      // 50 refusals per 100 ms against a budget of 18 per slot: the waiting room fills faster than time passes.
      long delay = 0;
      for (int tick = 0; tick < 10; tick++) {
        for (int i = 0; i < 50; i++) {
          delay = c.bookMillis();
        }
        ticker.advanceMillis(100);
      }
      assertThat(delay).isGreaterThan(previous);
      previous = delay;
    }
    assertThat(previous).isGreaterThan(first + 5_000);
    assertThat(c.horizonSeconds()).isGreaterThan(5);
  }

  @Test
  void slots_thatTimeHasPassed_areNotHandedOut() {
    LocalRetryCalendar c = calendar(0);
    for (int i = 0; i < 18 * 5; i++) {
      c.bookMillis();
    }
    ticker.advanceMillis(1_000);
    assertThat(c.bookMillis()).isBetween(100L, 199L);
  }

  @Test
  void aFullCalendar_handsOutTheHorizonWithoutBooking() {
    rate.set(0.0);
    LocalRetryCalendar c = calendar(0);
    for (int i = 0; i < 100; i++) {
      c.bookMillis(); // one per slot, 100 slots in 10 s
    }
    long delay = c.bookMillis();
    assertThat(delay).isGreaterThanOrEqualTo(10_000);
    assertThat(c.overflows()).isEqualTo(1);
  }

  @Test
  void aHigherThroughput_opensRoomInSlotsPassedOverAsFull() {
    rate.set(0.0);
    LocalRetryCalendar c = calendar(0);
    c.bookMillis();
    c.bookMillis();
    assertThat(c.bookMillis()).isGreaterThanOrEqualTo(300);
    rate.set(200.0);
    assertThat(c.bookMillis()).isBetween(100L, 199L);
  }

  @Test
  void settings_areValidated() {
    assertThatThrownBy(() -> LocalRetryCalendar.builder(() -> 1).slot(Duration.ZERO))
        .hasMessageContaining("calendar.slot");
    assertThatThrownBy(() -> LocalRetryCalendar.builder(() -> 1).share(1.5))
        .hasMessageContaining("calendar.share");
    assertThatThrownBy(() -> LocalRetryCalendar.builder(() -> 1).slot(Duration.ofSeconds(2))
        .horizon(Duration.ofSeconds(1)).build()).hasMessageContaining("calendar.horizon");
  }

  @Test
  void bookWithin_booksTheEarliestSlotWithRoomUpToTheLimit_andNothingBeyondIt() {
    rate.set(20.0); // budget 1 per slot
    LocalRetryCalendar c = calendar(0.5);
    long now = ticker.getAsLong();
    long first = Math.floorDiv(now + SLOT - 1 + SLOT, SLOT) * SLOT - now; // the first slot at least 100 ms ahead

    assertThat(c.bookWithinNanos(Duration.ofMillis(250).toNanos())).isEqualTo(first);
    assertThat(c.bookWithinNanos(Duration.ofMillis(250).toNanos())).isEqualTo(first + SLOT);
    long before = c.overflows();
    // The next free slot starts more than 250 ms ahead: nothing booked, so a refusal still gets that slot.
    assertThat(c.bookWithinNanos(Duration.ofMillis(first / 1_000_000 + 150).toNanos())).isEqualTo(-1);
    assertThat(c.promisedAt(now + first + 2 * SLOT)).isZero();
    assertThat(c.overflows()).isEqualTo(before);
    long refusal = c.bookMillis();
    assertThat(Duration.ofMillis(refusal).toNanos()).isBetween(first + 2 * SLOT - 1_000_000, first + 3 * SLOT);
    assertThat(c.promisedAt(now + first + 2 * SLOT)).isEqualTo(1);
  }
}
