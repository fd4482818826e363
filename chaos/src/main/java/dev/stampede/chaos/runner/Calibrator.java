package dev.stampede.chaos.runner;

import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.chaos.experiment.Calibration;
import dev.stampede.chaos.experiment.RecoveryMix;
import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.retry.RetryPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures C (DESIGN §6): a closed loop of {@code concurrency} calibration clients, each doing one recovery of the
 * mix — {@code Login} or {@code Resume}, then {@code Register} — after the other, for a warm-up (discarded) and
 * then the measured duration. C = recoveries completed in the measured interval ÷ its length.
 *
 * <p>The calibration clients are well behaved, so that C is what the servers can do rather than what bad clients
 * get out of them: each RPC is a single attempt with a deadline that waits for a connection, and after a refusal a
 * client waits exactly the delay the server asked for (50 ms when it gave none) before trying the step again. A
 * resume client logs in once first, before the warm-up starts (at most one minute for all of them), and then keeps
 * its rotating ticket.
 *
 * <p>One measurement per instance; {@link #measure} blocks the caller, the clients run on the SDK's threads.
 */
final class Calibrator {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final long NO_DELAY_GIVEN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(60);
  private final StampedeClient client;
  private final RecoveryMix mix;
  private final String prefix;
  private final String password;
  private final AtomicLong completed = new AtomicLong();
  private volatile CountDownLatch prepared;
  private final AtomicInteger givenUp = new AtomicInteger();
  private volatile String lastFailure;
  private volatile boolean stopped;
  private volatile long fromNanos = Long.MAX_VALUE;

  Calibrator(StampedeClient client, RecoveryMix mix, String prefix, String password) {
    this.client = client;
    this.mix = mix;
    this.prefix = prefix;
    this.password = password;
  }

  /**
   * Runs the calibration: {@code calibration.duration()} measured after {@code calibration.warmup()}.
   *
   * @return C, recoveries per second in the measured interval (0 when none completed)
   * @throws RunFailedException when every calibration client was refused for good (a log-in answered
   *     {@code UNAUTHENTICATED}, {@code PERMISSION_DENIED} or {@code INVALID_ARGUMENT}), or nothing completed
   *     and the last failure says why
   * @throws InterruptedException if interrupted
   */
  double measure(Calibration calibration) throws InterruptedException {
    prepared = new CountDownLatch(mix == RecoveryMix.RESUME ? calibration.concurrency() : 0);
    long counted;
    try {
      for (int i = 0; i < calibration.concurrency(); i++) {
        new Worker(i).next();
      }
      // Resume clients need a ticket first: their log-ins are preparation, not part of the warm-up.
      prepared.await(PREPARE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      fromNanos = System.nanoTime() + calibration.warmup().toNanos();
      sleepUntil(fromNanos + calibration.duration().toNanos(), calibration.concurrency());
      counted = completed.get();
    } finally {
      stopped = true;
    }
    if (counted == 0 && lastFailure != null) {
      throw new RunFailedException("calibration: no " + mix.id() + " + register completed; "
          + (givenUp.get() == calibration.concurrency() ? "every calibration client was refused: " : "last failure: ")
          + lastFailure);
    }
    return counted / (calibration.duration().toNanos() / 1e9);
  }

  /** Sleeps until {@code nanos}, or until every one of {@code clients} gave up. */
  private void sleepUntil(long nanos, int clients) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0 && givenUp.get() < clients) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  private static CallSettings single() {
    return CallSettings.inherit().withRetryPolicy(RetryPolicy.noRetry()).withDeadline(DEADLINE)
        .withWaitForReady(true);
  }

  private final class Worker {
    private final int index;
    private final String deviceId;
    private String ticket;
    private boolean loggedIn;

    Worker(int index) {
      this.index = index;
      this.deviceId = "dev-" + prefix + index;
    }

    void next() {
      if (stopped) {
        return;
      }
      CompletableFuture<SessionGrant> auth;
      if (mix == RecoveryMix.RESUME && ticket != null) {
        auth = client.auth().resumeAsync(ResumeRequest.newBuilder().setResumeTicket(ticket).setDeviceId(deviceId)
            .build(), single()).thenApply(r -> r.getGrant());
      } else {
        auth = client.auth().loginAsync(LoginRequest.newBuilder().setUsername(prefix + index).setPassword(password)
            .setDeviceId(deviceId).build(), single()).thenApply(r -> r.getGrant());
      }
      boolean resuming = ticket != null && mix == RecoveryMix.RESUME;
      auth.whenComplete((grant, error) -> {
        if (error != null) {
          Status.Code code = code(error);
          lastFailure = (resuming ? "Resume: " : "Login: ") + describe(error);
          if (!resuming && RetryPolicy.NEVER_RETRIED.contains(code)) {
            // A refused password or a bad request: this client can never calibrate.
            giveUp();
            return;
          }
          if (code == Status.Code.UNAUTHENTICATED) {
            // A spent ticket (its rotation's answer was lost): log in again.
            ticket = null;
          }
          retryLater(error);
          return;
        }
        if (!loggedIn) {
          loggedIn = true;
          prepared.countDown();
        }
        ticket = grant.getResumeTicket();
        register(grant.getSessionToken());
      });
    }

    private void register(String token) {
      if (stopped) {
        return;
      }
      client.directory().registerAsync(RegisterRequest.newBuilder().setSessionToken(token).build(), single())
          .whenComplete((r, error) -> {
            if (error != null) {
              lastFailure = "Register: " + describe(error);
              retryLater(error);
              return;
            }
            long now = System.nanoTime();
            if (now >= fromNanos) {
              completed.incrementAndGet();
            }
            next();
          });
    }

    private void retryLater(Throwable error) {
      if (stopped) {
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      long delay = cause instanceof CallFailedException f && f.retryAfterNanos() >= 0 ? f.retryAfterNanos()
          : NO_DELAY_GIVEN_NANOS;
      client.timeSource().scheduler().schedule(this::next, delay, TimeUnit.NANOSECONDS);
    }

    private void giveUp() {
      if (!loggedIn) {
        loggedIn = true;
        prepared.countDown();
      }
      givenUp.incrementAndGet();
    }

    private String describe(Throwable error) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      return cause instanceof CallFailedException f ? f.code() + (f.getStatus().getDescription() == null ? ""
          : " (" + f.getStatus().getDescription() + ")") : String.valueOf(cause);
    }

    private Status.Code code(Throwable error) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      return cause instanceof CallFailedException f ? f.code() : Status.Code.UNKNOWN;
    }
  }
}
