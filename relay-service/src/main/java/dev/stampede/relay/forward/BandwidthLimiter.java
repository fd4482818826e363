package dev.stampede.relay.forward;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The pod's bandwidth budget, a token bucket shared by every stream: each forwarded frame takes its bytes, and a
 * {@link Pipe} asks for more frames from its sender only while the bucket is not empty. When it is, the pipe parks
 * and is woken when the bucket has refilled, so a pod at its limit slows senders through flow control instead of
 * queueing. The bucket may go into debt by the frames already requested (bounded by each pipe's buffer).
 *
 * <p>Thread-safe. Wake-ups run on the {@link Scheduler}'s thread.
 */
public final class BandwidthLimiter {
  /** How long a limiter counts as saturated after it last ran dry: new allocations are refused meanwhile. */
  public static final long SATURATION_MEMORY_NANOS = 1_000_000_000L;
  private static final long MIN_WAKE_NANOS = 1_000_000L;

  private final long bytesPerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Scheduler scheduler;

  private double tokens;
  private long refilledAt;
  private long lastDryAt;
  private boolean everDry;
  private boolean wakeScheduled;
  private final LinkedHashSet<Runnable> parked = new LinkedHashSet<>();

  /**
   * @param bytesPerSecond the sustained rate
   * @param nanoTime the clock
   * @param scheduler runs wake-ups
   */
  public BandwidthLimiter(long bytesPerSecond, LongSupplier nanoTime, Scheduler scheduler) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: > 0)");
    }
    this.bytesPerSecond = bytesPerSecond;
    // 100 ms of traffic, but never less than a few full frames, so one burst of a single stream is not throttled.
    this.burst = Math.max(bytesPerSecond / 10.0, 4 * 65_536.0);
    this.nanoTime = nanoTime;
    this.scheduler = scheduler;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes {@code bytes} from the bucket (it may go into debt). */
  public synchronized void consume(long bytes) {
    refill();
    tokens -= bytes;
    if (tokens <= 0) {
      markDry();
    }
  }

  /**
   * Whether a pipe may ask its sender for more now. If not, {@code wake} is run once the bucket has refilled.
   */
  public boolean admit(Runnable wake) {
    synchronized (this) {
      refill();
      if (tokens > 0) {
        return true;
      }
      markDry();
      parked.add(wake);
      if (wakeScheduled) {
        return false;
      }
      wakeScheduled = true;
    }
    scheduleWake();
    return false;
  }

  /** Whether the bucket ran dry within the last second: the pod forwards at its limit. */
  public synchronized boolean isSaturated() {
    return everDry && nanoTime.getAsLong() - lastDryAt < SATURATION_MEMORY_NANOS;
  }

  /** The sustained rate, bytes per second. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  private void scheduleWake() {
    long delay;
    synchronized (this) {
      delay = Math.max(MIN_WAKE_NANOS, (long) Math.ceil((1 - tokens) * 1e9 / bytesPerSecond));
    }
    scheduler.schedule(this::wake, delay);
  }

  private void wake() {
    List<Runnable> ready;
    synchronized (this) {
      refill();
      if (tokens <= 0) {
        // Not yet (a clock coarser than our estimate): try again.
        ready = null;
      } else {
        wakeScheduled = false;
        ready = new ArrayList<>(parked);
        parked.clear();
      }
    }
    if (ready == null) {
      scheduleWake();
      return;
    }
    for (Runnable r : ready) {
      r.run();
    }
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * (bytesPerSecond / 1e9));
      refilledAt = now;
    }
  }

  private void markDry() {
    everDry = true;
    lastDryAt = nanoTime.getAsLong();
  }
}
