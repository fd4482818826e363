package dev.stampede.chaos.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MetricsScraperTest {
  private static final URI AUTH_1 = URI.create("http://127.0.0.1:1/q/metrics");
  private static final URI AUTH_2 = URI.create("http://127.0.0.1:2/q/metrics");
  private static final URI DIRECTORY = URI.create("http://127.0.0.1:3/q/metrics");

  private final Map<URI, String> pages = new HashMap<>();
  private final MetricsScraper scraper = new MetricsScraper(() -> {
    Map<String, List<URI>> m = new LinkedHashMap<>();
    m.put("auth", List.of(AUTH_1, AUTH_2));
    m.put("directory", List.of(DIRECTORY));
    return m;
  }, uri -> pages.containsKey(uri) ? CompletableFuture.completedFuture(pages.get(uri))
      : CompletableFuture.failedFuture(new java.net.ConnectException("refused")), Duration.ofMillis(200));

  private static String page(double limit, double queue, double admitted, double rejected, double qSum, double qCount) {
    return "stampede_admission_limit{service=\"auth\"} " + limit + "\n"
        + "stampede_admission_inflight{service=\"auth\"} 2\n"
        + "stampede_admission_queue_length{service=\"auth\"} " + queue + "\n"
        + "stampede_admission_admitted_total{service=\"auth\",method=\"m\",priority=\"login\"} " + admitted + "\n"
        + "stampede_admission_rejected_total{service=\"auth\",method=\"m\",priority=\"login\",reason=\"r\"} "
        + rejected + "\n"
        + "stampede_admission_queue_seconds_sum{service=\"auth\"} " + qSum + "\n"
        + "stampede_admission_queue_seconds_count{service=\"auth\"} " + qCount + "\n";
  }

  @Test
  void scrape_sumsReplicasAndComputesRates() {
    pages.put(AUTH_1, page(10, 1, 100, 0, 0, 0));
    pages.put(AUTH_2, page(20, 3, 200, 50, 0, 0));
    Map<String, ServerSecond> first = scraper.scrape(1);
    assertThat(first.get("auth").limit()).isEqualTo(30.0);
    assertThat(first.get("auth").admittedPerS()).as("no rate without a previous scrape").isNull();

    pages.put(AUTH_1, page(12, 2, 150, 10, 0.2, 10));
    pages.put(AUTH_2, page(20, 0, 260, 70, 0.1, 10));
    ServerSecond auth = scraper.scrape(2).get("auth");

    assertThat(auth.up()).isEqualTo(2);
    assertThat(auth.limit()).isEqualTo(32.0);
    assertThat(auth.inflight()).isEqualTo(4.0);
    assertThat(auth.queueLength()).isEqualTo(2.0);
    assertThat(auth.admittedPerS()).isEqualTo((50 + 60) / 2.0);
    assertThat(auth.rejectedPerS()).isEqualTo((10 + 20) / 2.0);
    assertThat(auth.queueMs()).isCloseTo(0.3 / 20 * 1000, within(1e-9));
  }

  @Test
  void restartedReplica_countsFromZeroInsteadOfANegativeRate() {
    pages.put(AUTH_1, page(10, 0, 1000, 500, 0, 0));
    scraper.scrape(1);
    pages.put(AUTH_1, page(10, 0, 30, 4, 0, 0));

    ServerSecond auth = scraper.scrape(1).get("auth");

    assertThat(auth.admittedPerS()).isEqualTo(30.0);
    assertThat(auth.rejectedPerS()).isEqualTo(4.0);
  }

  @Test
  void downReplicasAndServicesWithoutAdmission_giveNulls() {
    pages.put(DIRECTORY, "jvm_threads_live_threads 20\n");

    Map<String, ServerSecond> s = scraper.scrape(1);

    assertThat(s.get("auth").up()).isZero();
    assertThat(s.get("auth").replicas()).isEqualTo(2);
    assertThat(s.get("auth").limit()).isNull();
    assertThat(s.get("directory").up()).isEqualTo(1);
    assertThat(s.get("directory").limit()).isNull();
    assertThat(s.keySet()).containsExactly("auth", "directory");
  }
}
