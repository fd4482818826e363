package dev.stampede.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBookingsTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RetryBookings bookings =
      new RetryBookings(ticker, Duration.ofMillis(100), Duration.ofSeconds(10), new byte[32]);

  @Test
  void booking_isHonouredFromOneSlotBeforeItIsDueUntilItsValidityEnds() {
    String token = bookings.issue(1_000);

    assertThat(bookings.honoured(token)).as("long before it is due").isFalse();
    ticker.advanceMillis(899);
    assertThat(bookings.honoured(token)).as("earlier than one slot before").isFalse();
    ticker.advanceMillis(1);
    assertThat(bookings.honoured(token)).as("one slot before").isTrue();
    ticker.advanceMillis(100 + 10_000);
    assertThat(bookings.honoured(token)).as("at the end of its validity").isTrue();
    ticker.advanceMillis(1);
    assertThat(bookings.honoured(token)).as("expired").isFalse();
  }

  @Test
  void tamperedOrForeignBooking_isNotHonoured() {
    String token = bookings.issue(0);
    int dot = token.indexOf('.');
    String otherDue = Long.toString(Long.parseLong(token.substring(0, dot), 36) + 1, 36) + token.substring(dot);
    char last = token.charAt(token.length() - 1);
    String otherMac = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
    RetryBookings otherServer = new RetryBookings(ticker, Duration.ofMillis(100), Duration.ofSeconds(10));

    assertThat(bookings.honoured(token)).isTrue();
    assertThat(bookings.honoured(otherDue)).isFalse();
    assertThat(bookings.honoured(otherMac)).isFalse();
    assertThat(otherServer.honoured(token)).as("signed with another pod's key").isFalse();
  }

  @Test
  void garbage_isIgnoredWithoutThrowing() {
    for (String garbage : new String[] {null, "", ".", "x", "abc.", ".0123456789abcdef", "zz!.0123456789abcdef",
        "1.0123456789abcdeg", "1.0123456789abcde", "1.0123456789abcdef0", "1.2.0123456789abcdef",
        "9".repeat(30) + ".0123456789abcdef", "-.0123456789abcdef", "a".repeat(1000)}) {
      assertThat(bookings.honoured(garbage)).as(String.valueOf(garbage)).isFalse();
    }
  }

  @Test
  void booking_isShortPrintableAscii() {
    ticker.advance(Duration.ofDays(365 * 100));
    String token = bookings.issue(60_000);

    assertThat(token).matches("-?[0-9a-z]+\\.[0-9a-f]{16}").hasSizeLessThanOrEqualTo(RetryBookings.MAX_LENGTH);
  }
}
