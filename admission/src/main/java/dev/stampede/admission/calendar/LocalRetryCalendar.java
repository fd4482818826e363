package dev.stampede.admission.calendar;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The retry calendar of one server: time is cut into slots ({@code slot}, default 100 ms); each slot takes at most
 * {@code budget = max(1, floor(rate · slot · share))} promises, where {@code rate} is the server's measured
 * throughput (completions per second, at least {@code minRate}) and {@code share} the part of it kept for returning
 * clients. A refused request gets the earliest slot at least {@code minDelay} ahead that still has room, plus a
 * uniform jitter inside the slot. Under sustained overload the slots fill up and the delays handed out move forward;
 * once the calendar is full up to {@code horizon}, requests get the horizon without a booking (counted by
 * {@link #overflows()}). Thread-safe (a short lock); {@link #bookMillis()} costs well under a microsecond.
 */
public final class LocalRetryCalendar implements RetryCalendar {
  public static final Duration DEFAULT_SLOT = Duration.ofMillis(100);
  public static final Duration DEFAULT_HORIZON = Duration.ofSeconds(60);
  public static final double DEFAULT_SHARE = 0.9;
  public static final double DEFAULT_MIN_RATE = 10;
  private static final long NONE = Long.MIN_VALUE;

  private final long slotNanos;
  private final long minDelayNanos;
  private final int slots;
  private final double share;
  private final double minRate;
  private final DoubleSupplier rate;
  private final LongSupplier ticker;
  private final DoubleSupplier random;

  private final long[] slotIds;
  private final int[] counts;
  private long cursor = Long.MIN_VALUE;
  private int lastBudget;
  private long overflows;

  private LocalRetryCalendar(Builder b) {
    this.slotNanos = b.slot.toNanos();
    this.minDelayNanos = b.minDelay != null ? b.minDelay.toNanos() : slotNanos;
    this.slots = (int) Math.max(1, b.horizon.toNanos() / slotNanos);
    this.share = b.share;
    this.minRate = b.minRate;
    this.rate = b.rate;
    this.ticker = b.ticker;
    this.random = b.random;
    this.slotIds = new long[slots + 2];
    this.counts = new int[slots + 2];
    Arrays.fill(slotIds, Long.MIN_VALUE);
  }

  /** A calendar whose budget follows {@code rate} (completions per second, e.g. a {@link ThroughputMeter}). */
  public static Builder builder(DoubleSupplier rate) {
    return new Builder(rate);
  }

  /** The promises one slot takes at the current rate. */
  public int budget() {
    double r = Math.max(minRate, rate.getAsDouble());
    return (int) Math.max(1, Math.floor(r * share * slotNanos / 1e9));
  }

  @Override
  public long bookMillis() {
    long now = ticker.getAsLong();
    long slot = book(now, Long.MAX_VALUE);
    long delayNanos = slot * slotNanos - now + (long) (random.getAsDouble() * slotNanos);
    return Math.max(1, delayNanos / 1_000_000);
  }

  /**
   * Books the earliest slot with room if it starts at most {@code maxNanos} from now, and returns how far ahead it
   * starts (no jitter: the caller keeps the request itself, see {@code QueueTimePolicy#holdMaxNanos}); books nothing
   * and returns -1 when no such slot has room.
   */
  public long bookWithinNanos(long maxNanos) {
    long now = ticker.getAsLong();
    long slot = book(now, Math.floorDiv(now + Math.max(0, maxNanos), slotNanos));
    return slot == NONE ? -1 : Math.max(0, slot * slotNanos - now);
  }

  /**
   * Books the earliest slot with room up to the horizon and no later than {@code lastSlot}; returns it, or the slot
   * just past the horizon (counted as an overflow, nothing booked) when the calendar is full to the horizon, or
   * {@link #NONE} when the first slot with room lies after {@code lastSlot} (nothing booked). Slot numbers follow the
   * ticker, which may be negative.
   */
  private long book(long now, long lastSlot) {
    int budget = budget();
    synchronized (this) {
      long earliest = earliestSlot(now);
      if (budget > lastBudget) {
        cursor = earliest; // slots passed over as full may have room now
      }
      lastBudget = budget;
      long end = earliest + slots;
      long slot = Math.max(cursor, earliest);
      while (slot < end && count(slot) >= budget) {
        slot++;
      }
      cursor = slot;
      if (slot > lastSlot) {
        return NONE;
      }
      if (slot == end) {
        overflows++;
      } else {
        increment(slot);
      }
      return slot;
    }
  }

  @Override
  public synchronized double horizonSeconds() {
    long now = ticker.getAsLong();
    long first = Math.max(cursor, earliestSlot(now));
    return Math.max(0, (first * slotNanos - now - minDelayNanos) / 1e9);
  }

  /** Promises booked in the slot that contains {@code atNanos} (for tests and diagnostics). */
  public synchronized int promisedAt(long atNanos) {
    return count(Math.floorDiv(atNanos, slotNanos));
  }

  /** Requests that found the calendar full up to the horizon. */
  public synchronized long overflows() {
    return overflows;
  }

  public long slotNanos() {
    return slotNanos;
  }

  /** The shortest delay handed out, in nanoseconds. */
  public long minDelayNanos() {
    return minDelayNanos;
  }

  /** Slots up to the horizon. */
  public int slots() {
    return slots;
  }

  private long earliestSlot(long now) {
    // ceil: the slot must start no earlier than now + minDelay.
    return Math.floorDiv(now + minDelayNanos + slotNanos - 1, slotNanos);
  }

  private int count(long slot) {
    int i = (int) Math.floorMod(slot, slotIds.length);
    return slotIds[i] == slot ? counts[i] : 0;
  }

  private void increment(long slot) {
    int i = (int) Math.floorMod(slot, slotIds.length);
    if (slotIds[i] != slot) {
      slotIds[i] = slot;
      counts[i] = 0;
    }
    counts[i]++;
  }

  @Override
  public String toString() {
    return "LocalRetryCalendar[slot=" + slotNanos / 1_000_000 + "ms slots=" + slots + " budget=" + budget() + "]";
  }

  /** Builds a {@link LocalRetryCalendar}. Not thread-safe. */
  public static final class Builder {
    private final DoubleSupplier rate;
    private Duration slot = DEFAULT_SLOT;
    private Duration horizon = DEFAULT_HORIZON;
    private Duration minDelay;
    private double share = DEFAULT_SHARE;
    private double minRate = DEFAULT_MIN_RATE;
    private LongSupplier ticker = System::nanoTime;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(DoubleSupplier rate) {
      this.rate = Objects.requireNonNull(rate, "rate");
    }

    /** Slot width; default 100 ms. */
    public Builder slot(Duration slot) {
      this.slot = positive("calendar.slot", slot);
      return this;
    }

    /** How far ahead slots are handed out; default 60 s. */
    public Builder horizon(Duration horizon) {
      this.horizon = positive("calendar.horizon", horizon);
      return this;
    }

    /** The shortest delay handed out; default one slot. */
    public Builder minDelay(Duration minDelay) {
      Objects.requireNonNull(minDelay, "calendar.min-delay");
      if (minDelay.isNegative()) {
        throw new IllegalArgumentException("calendar.min-delay: " + minDelay + " (expected: >= 0)");
      }
      this.minDelay = minDelay;
      return this;
    }

    /** Fraction of the measured throughput promised to returning clients; default 0.9. */
    public Builder share(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("calendar.share: " + share + " (expected: (0, 1])");
      }
      this.share = share;
      return this;
    }

    /** Throughput assumed when less is measured (cold start), per second; default 10. */
    public Builder minRate(double minRate) {
      if (!(minRate > 0)) {
        throw new IllegalArgumentException("calendar.min-rate: " + minRate + " (expected: > 0)");
      }
      this.minRate = minRate;
      return this;
    }

    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Source of the in-slot jitter, uniform in [0, 1); default {@link ThreadLocalRandom}. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public LocalRetryCalendar build() {
      if (horizon.compareTo(slot) < 0) {
        throw new IllegalArgumentException(
            "calendar.horizon: " + horizon + " (expected: >= calendar.slot " + slot + ")");
      }
      return new LocalRetryCalendar(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
