package dev.stampede.chaos.scrape;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Scrapes the services' {@code /q/metrics} once per timeline second and turns the admission metrics (issue #3
 * names: {@code stampede_admission_limit}, {@code _inflight}, {@code _queue_length}, {@code _queue_seconds},
 * {@code _admitted_total}, {@code _rejected_total}) into a {@link ServerSecond} per service. Counter rates are
 * computed per replica, so a restarted replica whose counters start again from zero does not produce a negative
 * rate.
 *
 * <p>Not thread-safe: one sampler thread calls {@link #scrape()}. A replica that does not answer within the
 * timeout counts as down for that second; scraping never throws.
 */
public final class MetricsScraper {
  /** The per-scrape timeout: well under the one-second tick. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(600);

  static final String LIMIT = "stampede_admission_limit";
  static final String INFLIGHT = "stampede_admission_inflight";
  static final String QUEUE_LENGTH = "stampede_admission_queue_length";
  static final String QUEUE_SECONDS = "stampede_admission_queue_seconds";
  static final String ADMITTED = "stampede_admission_admitted_total";
  static final String REJECTED = "stampede_admission_rejected_total";

  private final Supplier<Map<String, List<URI>>> endpoints;
  private final Function<URI, CompletableFuture<String>> fetcher;
  private final Duration timeout;
  private final Map<URI, Totals> previous = new HashMap<>();

  private record Totals(double admitted, double rejected, double queueSum, double queueCount) {
  }

  /**
   * A scraper over HTTP.
   *
   * @param endpoints the metrics URLs of each service's replicas, asked at every scrape
   */
  public static MetricsScraper http(Supplier<Map<String, List<URI>>> endpoints) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();
    return new MetricsScraper(endpoints, uri -> client
        .sendAsync(HttpRequest.newBuilder(uri).timeout(DEFAULT_TIMEOUT).header("Accept", "text/plain").GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
          }
          return r.body();
        }), DEFAULT_TIMEOUT);
  }

  /**
   * A scraper over any fetcher (tests use an in-memory one).
   *
   * @param endpoints the metrics URLs of each service's replicas
   * @param fetcher fetches one URL's text
   * @param timeout how long to wait for all replicas
   */
  public MetricsScraper(Supplier<Map<String, List<URI>>> endpoints,
      Function<URI, CompletableFuture<String>> fetcher, Duration timeout) {
    this.endpoints = endpoints;
    this.fetcher = fetcher;
    this.timeout = timeout;
  }

  /**
   * Scrapes every replica once; rates are per second over {@code elapsedSeconds} since the previous scrape.
   *
   * @return per service, in the order the endpoints were given
   */
  public Map<String, ServerSecond> scrape(double elapsedSeconds) {
    Map<String, List<URI>> targets = endpoints.get();
    Map<URI, CompletableFuture<String>> pending = new HashMap<>();
    targets.values().forEach(list -> list.forEach(uri -> pending.put(uri, safeFetch(uri))));
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, ServerSecond> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<URI>> e : targets.entrySet()) {
      Aggregate agg = new Aggregate();
      for (URI uri : e.getValue()) {
        String text = await(pending.get(uri), deadline);
        if (text != null) {
          agg.add(uri, PrometheusText.parse(text), elapsedSeconds);
        }
      }
      out.put(e.getKey(), agg.result(e.getValue().size()));
    }
    return out;
  }

  private CompletableFuture<String> safeFetch(URI uri) {
    try {
      return fetcher.apply(uri);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String await(CompletableFuture<String> f, long deadlineNanos) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      f.cancel(true);
      return null;
    }
  }

  private final class Aggregate {
    int up;
    Double limit;
    Double inflight;
    Double queueLength;
    Double admittedRate;
    Double rejectedRate;
    double queueSumDelta;
    double queueCountDelta;
    boolean queueSeen;

    void add(URI uri, PrometheusText m, double elapsed) {
      up++;
      limit = plus(limit, m.sum(LIMIT));
      inflight = plus(inflight, m.sum(INFLIGHT));
      queueLength = plus(queueLength, m.sum(QUEUE_LENGTH));
      Double admitted = m.sum(ADMITTED);
      Double rejected = m.sum(REJECTED);
      Double qSum = m.sum(QUEUE_SECONDS + "_sum");
      Double qCount = m.sum(QUEUE_SECONDS + "_count");
      Totals now = new Totals(orNaN(admitted), orNaN(rejected), orNaN(qSum), orNaN(qCount));
      Totals before = previous.put(uri, now);
      if (before != null && elapsed > 0) {
        admittedRate = plus(admittedRate, rate(before.admitted(), now.admitted(), elapsed));
        rejectedRate = plus(rejectedRate, rate(before.rejected(), now.rejected(), elapsed));
        Double ds = delta(before.queueSum(), now.queueSum());
        Double dc = delta(before.queueCount(), now.queueCount());
        if (ds != null && dc != null) {
          queueSumDelta += ds;
          queueCountDelta += dc;
          queueSeen = true;
        }
      }
    }

    ServerSecond result(int replicas) {
      Double queueMs = queueSeen && queueCountDelta > 0 ? queueSumDelta / queueCountDelta * 1000 : null;
      return new ServerSecond(replicas, up, limit, inflight, queueLength, queueMs, admittedRate, rejectedRate);
    }
  }

  private static Double rate(double before, double now, double elapsed) {
    Double d = delta(before, now);
    return d == null ? null : d / elapsed;
  }

  // A counter that went down was reset by a restart: everything it shows now happened since.
  private static Double delta(double before, double now) {
    if (Double.isNaN(now)) {
      return null;
    }
    if (Double.isNaN(before) || now < before) {
      return now;
    }
    return now - before;
  }

  private static double orNaN(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static Double plus(Double a, Double b) {
    if (b == null) {
      return a;
    }
    return a == null ? b : a + b;
  }
}
