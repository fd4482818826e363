package dev.stampede.chaos.timeline;

import dev.stampede.chaos.scrape.MetricsScraper;
import dev.stampede.chaos.scrape.ServerSecond;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Turns the {@link StormRecorder} (and optionally the services' metrics) into the per-second timeline of a run,
 * and keeps the latency percentiles since the trigger for the recovery summary.
 *
 * <p>{@link #sample(long)} takes one sample; {@link #start()} calls it once a second on its own daemon thread.
 * Listeners (the terminal progress line) are called on that thread after each sample. Thread-safe.
 */
public final class Sampler implements AutoCloseable {
  private static final long SECOND = 1_000_000_000L;

  private final StormRecorder recorder;
  private final MetricsScraper scraper;
  private final Supplier<String> phase;
  private final LongSupplier nanoTime;
  private final List<TimelineSample> samples = new ArrayList<>();
  private final List<Consumer<TimelineSample>> listeners = new CopyOnWriteArrayList<>();
  private final Map<Rpc, Histogram> sinceTrigger = new EnumMap<>(Rpc.class);
  private final List<long[]> triggerMarks = new ArrayList<>();
  private final List<Map<Rpc, double[]>> triggerPercentiles = new ArrayList<>();
  private long lastNanos;
  private ScheduledExecutorService ticker;

  /**
   * @param recorder what the clients did
   * @param scraper the services' metrics, or {@code null} to leave {@link TimelineSample#servers()} empty
   * @param phase the runner's current phase
   * @param nanoTime the clock the recorder's times are on
   */
  public Sampler(StormRecorder recorder, MetricsScraper scraper, Supplier<String> phase, LongSupplier nanoTime) {
    this.recorder = recorder;
    this.scraper = scraper;
    this.phase = phase;
    this.nanoTime = nanoTime;
    this.lastNanos = recorder.originNanos();
  }

  /** Calls {@code listener} with every sample from now on. */
  public void subscribe(Consumer<TimelineSample> listener) {
    listeners.add(listener);
  }

  /** Samples once a second until {@link #close()}. */
  public synchronized void start() {
    if (ticker != null) {
      return;
    }
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stampede-sampler");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> {
      try {
        sample(nanoTime.getAsLong());
      } catch (RuntimeException e) {
        // A failed sample leaves a gap in the timeline; it must not stop the sampling.
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  /** Samples the interval since the previous sample, ending at {@code nowNanos}. */
  public TimelineSample sample(long nowNanos) {
    TimelineSample s;
    synchronized (this) {
      long from = lastNanos;
      if (nowNanos <= from) {
        return null;
      }
      lastNanos = nowNanos;
      Map<Rpc, RpcSecond> rpcs = new EnumMap<>(Rpc.class);
      OptionalLong t0 = recorder.online().t0();
      boolean afterTrigger = t0.isPresent() && nowNanos > t0.getAsLong();
      Map<Rpc, double[]> cumulative = new EnumMap<>(Rpc.class);
      for (Rpc rpc : Rpc.values()) {
        Histogram h = recorder.takeLatencies(rpc);
        rpcs.put(rpc, second(rpc, h, from, nowNanos));
        if (afterTrigger) {
          Histogram total = sinceTrigger.computeIfAbsent(rpc, k -> new Histogram(StormRecorder.MAX_LATENCY_MICROS, 2));
          total.add(h);
          cumulative.put(rpc, new double[] {percentileMs(total, 50), percentileMs(total, 99)});
        }
      }
      if (afterTrigger) {
        triggerMarks.add(new long[] {nowNanos});
        triggerPercentiles.add(cumulative);
      }
      Map<String, ServerSecond> servers = scraper == null ? Map.of() : scraper.scrape((nowNanos - from) / 1e9);
      s = new TimelineSample((from - recorder.originNanos()) / 1e9, phase.get(), recorder.online().onlineCount(),
          recorder.online().recoveredOnline(), rpcs, servers);
      samples.add(s);
    }
    for (Consumer<TimelineSample> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        // The progress line is cosmetic.
      }
    }
    return s;
  }

  /** The samples so far. */
  public synchronized List<TimelineSample> samples() {
    return List.copyOf(samples);
  }

  /**
   * The latency percentiles {50, 99} in ms of the successful RPCs of a kind from the trigger to the first sample
   * at or after {@code untilNanos} (the recovery interval, to one second); empty without successes.
   */
  public synchronized Optional<double[]> percentilesSinceTrigger(Rpc rpc, long untilNanos) {
    for (int i = 0; i < triggerMarks.size(); i++) {
      if (triggerMarks.get(i)[0] >= untilNanos || i == triggerMarks.size() - 1) {
        double[] p = triggerPercentiles.get(i).get(rpc);
        return p == null || Double.isNaN(p[0]) ? Optional.empty() : Optional.of(p.clone());
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  private RpcSecond second(Rpc rpc, Histogram h, long from, long to) {
    long timeouts = Math.round(recorder.outcomes(rpc, Outcome.TIMEOUT, from, to));
    long unreachable = Math.round(recorder.outcomes(rpc, Outcome.UNREACHABLE, from, to));
    long other = Math.round(recorder.outcomes(rpc, Outcome.ERROR, from, to));
    boolean any = h.getTotalCount() > 0;
    return new RpcSecond(Math.round(recorder.attempts(rpc, from, to)),
        Math.round(recorder.outcomes(rpc, Outcome.SUCCESS, from, to)),
        Math.round(recorder.outcomes(rpc, Outcome.REJECTED, from, to)), timeouts + unreachable + other, timeouts,
        unreachable, any ? percentileMs(h, 50) : null, any ? percentileMs(h, 99) : null);
  }

  private static double percentileMs(Histogram h, double p) {
    if (h.getTotalCount() == 0) {
      return Double.NaN;
    }
    return h.getValueAtPercentile(p) / 1000.0;
  }
}
