package dev.stampede.admission.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.admission.RejectReason;
import dev.stampede.admission.metrics.AdmissionMetrics;
import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.testing.RedisFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GCRA budgets against a real private Redis. */
class BudgetsIT {
  @RegisterExtension
  final RedisFixture redis = RedisFixture.create();

  private SharedRedis shared;
  private Budgets budgets;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void connect() throws Exception {
    shared = SharedRedis.builder(redis.uri()).commandTimeout(Duration.ofMillis(500))
        .reconnectMax(Duration.ofMillis(200)).build();
    shared.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
    budgets = new Budgets(shared, new AdmissionMetrics(registry, "test"), true, System::nanoTime,
        Duration.ofMillis(500));
  }

  @AfterEach
  void close() {
    shared.close();
  }

  private static BudgetDecision get(java.util.concurrent.CompletionStage<BudgetDecision> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void burst_isAllowedThenRefusedWithTheTimeUntilTheNextUnit() throws Exception {
    Budget b = budgets.budget("login-fail-account", 1.0 / 60, 3); // one per minute, bursts of 3
    for (int i = 0; i < 3; i++) {
      BudgetDecision d = get(b.consume("u:1", 1));
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(2 - i);
      assertThat(d.local()).isFalse();
    }

    BudgetDecision denied = get(b.consume("u:1", 1));

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfterMillis()).isBetween(55_000L, 60_000L);
    assertThat(denied.toException().reason()).isEqualTo(RejectReason.BUDGET_EXHAUSTED);
    assertThat(get(b.consume("u:2", 1)).allowed()).as("ids are independent").isTrue();
    assertThat(redis.server().command("EXISTS", "stampede:budget:login-fail-account:{u:1}")).contains("1");
  }

  @Test
  void check_doesNotUseTheBudget() throws Exception {
    Budget b = budgets.budget("source", 1.0 / 60, 1);
    for (int i = 0; i < 5; i++) {
      assertThat(get(b.check("10.0.0.1")).allowed()).isTrue();
    }
    assertThat(get(b.consume("10.0.0.1", 1)).allowed()).isTrue();
    assertThat(get(b.check("10.0.0.1")).allowed()).isFalse();
  }

  @Test
  void budget_refillsAtItsRate() throws Exception {
    // One every 500 ms: the second decision must reach Redis before the next token, even on a loaded machine.
    Budget b = budgets.budget("fast", 2, 1);
    assertThat(get(b.consume("k", 1)).allowed()).isTrue();
    BudgetDecision denied = get(b.consume("k", 1));
    assertThat(denied.allowed()).isFalse();
    Thread.sleep(denied.retryAfterMillis() + 5);
    assertThat(get(b.consume("k", 1)).allowed()).isTrue();
  }

  @Test
  void hotKey_concurrentDecisions_neverExceedTheBurst() throws Exception {
    Budget b = budgets.budget("hot", 1.0 / 3600, 10);
    List<CompletableFuture<BudgetDecision>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(b.consume("same", 1).toCompletableFuture());
    }
    long allowed = 0;
    for (CompletableFuture<BudgetDecision> f : all) {
      BudgetDecision d = f.get(5, TimeUnit.SECONDS);
      assertThat(d.local()).isFalse();
      allowed += d.allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(10);
  }

  @Test
  void noscript_afterAScriptFlush_reloadsAndAnswers() throws Exception {
    Budget b = budgets.budget("flush", 1.0 / 60, 2);
    assertThat(get(b.consume("a", 1)).allowed()).isTrue();
    assertThat(redis.server().command("SCRIPT", "FLUSH")).contains("OK");

    BudgetDecision d = get(b.consume("a", 1));

    assertThat(d.local()).isFalse();
    assertThat(d.allowed()).isTrue();
    assertThat(get(b.consume("a", 1)).allowed()).isFalse();
    assertThat(redis.server().command("SCRIPT", "EXISTS", Budgets.script().sha1())).contains("1");
  }

  @Test
  void redisDown_failsOpenToALocalLimiter_andComesBack() throws Exception {
    Budget b = budgets.budget("down", 1.0 / 60, 2);
    redis.server().kill();

    BudgetDecision first = get(b.consume("x", 1));
    assertThat(first.local()).isTrue();
    assertThat(first.allowed()).isTrue();
    assertThat(get(b.consume("x", 1)).allowed()).isTrue();
    assertThat(get(b.consume("x", 1)).allowed()).as("the local limiter still limits").isFalse();
    assertThat(registry.find("stampede.admission.budget").tag("source", "local").counters()).isNotEmpty();

    redis.server().restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> !get(b.consume("y", 1)).local());
  }

  @Test
  void admissionOff_allowsEverythingWithoutRedis() throws Exception {
    Budgets off = new Budgets(null, new AdmissionMetrics(registry, "test"), false, System::nanoTime,
        Duration.ofMillis(50));
    Budget b = off.budget("off", 1.0 / 3600, 1);
    for (int i = 0; i < 10; i++) {
      assertThat(get(b.consume("z", 1)).allowed()).isTrue();
    }
  }

  @Test
  void badInput_isRefusedWithAClearMessage() {
    Budget b = budgets.budget("input", 1, 1);
    assertThatThrownBy(() -> b.consume("", 1)).hasMessageContaining("budget id");
    assertThatThrownBy(() -> b.consume("a}b", 1)).hasMessageContaining("without braces");
    assertThatThrownBy(() -> b.consume("x".repeat(201), 1)).hasMessageContaining("1..200");
    assertThatThrownBy(() -> b.consume("a", 0)).hasMessageContaining("cost");
    assertThatThrownBy(() -> budgets.budget("Bad Name", 1, 1)).hasMessageContaining("budget name");
    assertThatThrownBy(() -> budgets.budget("ok", 0, 1)).hasMessageContaining("rate");
  }
}
