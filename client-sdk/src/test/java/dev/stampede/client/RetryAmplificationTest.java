package dev.stampede.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.client.retry.RetryOptions;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Retry amplification, measured on the fake clock: how many attempts reach a failing server per call the
 * application makes, and whether retries after a pushback ever come early. The numbers are printed for the
 * record (surefire keeps them in target/surefire-reports/*-output.txt).
 */
class RetryAmplificationTest {
  private static final int INTENTS = 2_000;
  private static final Duration SPACING = Duration.ofMillis(100);

  /** Answers Login; a scripted function decides per attempt, and every attempt is recorded per user. */
  static final class ScriptedLogin extends AuthServiceGrpc.AuthServiceImplBase {
    final FakeClock clock;
    final Function<LoginRequest, io.grpc.StatusRuntimeException> script;
    final Map<String, List<long[]>> attempts = new HashMap<>();
    long total;

    ScriptedLogin(FakeClock clock, Function<LoginRequest, io.grpc.StatusRuntimeException> script) {
      this.clock = clock;
      this.script = script;
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
      total++;
      io.grpc.StatusRuntimeException failure = script.apply(request);
      long asked = failure == null ? -1
          : dev.stampede.client.retry.Pushback.from(failure.getStatus(), failure.getTrailers()).delayNanos();
      attempts.computeIfAbsent(request.getUsername(), u -> new ArrayList<>()).add(new long[] {clock.nanoTime(), asked});
      if (failure != null) {
        response.onError(failure);
        return;
      }
      response.onNext(LoginResponse.newBuilder().setGrant(SessionGrant.newBuilder().setUserId(request.getUsername()))
          .build());
      response.onCompleted();
    }
  }

  /** Outcome of one bounded run. */
  record Run(int intents, long attempts, int succeeded, int rejectedLocally, ScriptedLogin server) {
    double amplification() {
      return (double) attempts / intents;
    }
  }

  private static Run run(RetryOptions options, Function<LoginRequest, io.grpc.StatusRuntimeException> script,
      long seed) {
    FakeClock clock = new FakeClock();
    ScriptedLogin server = new ScriptedLogin(clock, script);
    try (InProcessStampede stampede = new InProcessStampede(clock).serve("auth", server)) {
      StampedeClient client = stampede.client(stampede.clientBuilder(seed).retryOptions(options));
      List<CompletableFuture<LoginResponse>> calls = new ArrayList<>();
      for (int i = 0; i < INTENTS; i++) {
        calls.add(client.auth().loginAsync(LoginRequest.newBuilder().setUsername("user-" + i).setPassword("pw")
            .setDeviceId("d").build(), CallSettings.inherit().withDeadline(Duration.ofSeconds(30))));
        clock.forward(SPACING);
      }
      clock.forward(Duration.ofMinutes(1));
      int ok = 0;
      int local = 0;
      for (CompletableFuture<LoginResponse> call : calls) {
        assertThat(call).isDone();
        if (!call.isCompletedExceptionally()) {
          ok++;
        } else if (call.handle((r, e) -> e instanceof CallFailedException && ((CallFailedException) e).attempts() == 0)
            .join()) {
          local++;
        }
      }
      return new Run(INTENTS, server.total, ok, local, server);
    }
  }

  private static Function<LoginRequest, io.grpc.StatusRuntimeException> failing(double share, long seed,
      java.util.function.Supplier<io.grpc.StatusRuntimeException> failure) {
    Random random = new Random(seed);
    return request -> random.nextDouble() < share ? failure.get() : null;
  }

  private static void print(String label, Run r) {
    System.out.printf("amplification %-34s intents=%d attempts=%d attempts/intents=%.3f succeeded=%d "
        + "rejected-locally=%d%n", label, r.intents(), r.attempts(), r.amplification(), r.succeeded(),
        r.rejectedLocally());
  }

  @Test
  void serverFailingNinetyPercentWithPlainUnavailable_staysBelowOnePointOneAttemptsPerCall() {
    Function<LoginRequest, io.grpc.StatusRuntimeException> script =
        failing(0.9, 42, () -> Faults.plain(Status.Code.UNAVAILABLE));

    Run sdk = run(RetryOptions.defaults(), script, 1);
    Run budgetOnly = run(RetryOptions.builder().withoutThrottle().build(),
        failing(0.9, 42, () -> Faults.plain(Status.Code.UNAVAILABLE)), 1);
    Run throttleOnly = run(RetryOptions.builder().withoutBudget().build(),
        failing(0.9, 42, () -> Faults.plain(Status.Code.UNAVAILABLE)), 1);
    Run neither = run(RetryOptions.builder().withoutBudget().withoutThrottle().build(),
        failing(0.9, 42, () -> Faults.plain(Status.Code.UNAVAILABLE)), 1);

    print("SDK defaults (budget + throttle)", sdk);
    print("budget only", budgetOnly);
    print("throttle only", throttleOnly);
    print("neither (5 attempts, backoff only)", neither);
    assertThat(sdk.amplification()).isLessThanOrEqualTo(1.1);
    assertThat(budgetOnly.amplification()).isLessThanOrEqualTo(1.1);
    assertThat(throttleOnly.amplification()).isLessThanOrEqualTo(1.1);
    assertThat(neither.amplification()).as("the control: what budget and throttle prevent").isGreaterThan(3.0);
  }

  @Test
  void withPushback_everyRetryArrivesNoEarlierThanTheServerAsked() {
    long totalRetries = 0;
    totalRetries += checkPushbackTiming("SDK defaults, 40% overloaded", RetryOptions.defaults(), 0.4);
    totalRetries += checkPushbackTiming("SDK defaults, 70% overloaded", RetryOptions.defaults(), 0.7);
    totalRetries += checkPushbackTiming("no budget/throttle, 70% overloaded",
        RetryOptions.builder().withoutBudget().withoutThrottle().build(), 0.7);
    assertThat(totalRetries).as("retries happened").isGreaterThan(1_000);
  }

  /** One run against a server answering {@code share} of calls with pushback of 50..5000 ms; returns retries. */
  private static long checkPushbackTiming(String label, RetryOptions options, double share) {
    Random delays = new Random(7);
    Run r = run(options, failing(share, 43,
        () -> Faults.overloaded(delays.nextBoolean() ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.UNAVAILABLE,
            50 + delays.nextInt(4_951))), 2);
    long retries = 0;
    long early = 0;
    long minSlack = Long.MAX_VALUE;
    long maxSlack = Long.MIN_VALUE;
    for (List<long[]> perUser : r.server().attempts.values()) {
      for (int i = 1; i < perUser.size(); i++) {
        long asked = perUser.get(i - 1)[1];
        long slack = perUser.get(i)[0] - perUser.get(i - 1)[0] - asked;
        retries++;
        early += slack < 0 ? 1 : 0;
        minSlack = Math.min(minSlack, slack);
        maxSlack = Math.max(maxSlack, slack);
      }
    }
    print("pushback, " + label, r);
    System.out.printf("pushback, %-34s retries=%d early=%d slack(gap - asked) min=%.3f ms max=%.3f ms%n",
        label, retries, early, minSlack / 1e6, maxSlack / 1e6);
    assertThat(early).as(label).isZero();
    if (retries > 0) {
      assertThat(minSlack).as(label).isGreaterThanOrEqualTo(0);
      assertThat(maxSlack).as(label + ": exactly when asked, the client adds nothing").isZero();
    }
    return retries;
  }
}
