package dev.stampede.chaos.storm;

import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.chaos.timeline.Outcome;
import dev.stampede.client.CallFailedException;
import dev.stampede.client.CallSettings;
import dev.stampede.client.retry.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link RawCalls} on the client SDK: every RPC is one attempt ({@link RetryPolicy#noRetry()}) with the given
 * deadline, that fails at once when no connection is up (no wait-for-ready) — the SDK's transport with none of its
 * discipline, for profiles that bring their own retry behaviour. Connections are the shared ones of
 * {@link StormChannels}; {@link #reconnect(int)} moves the client to another of them.
 *
 * <p>Thread-safe; never throws (failures are completed {@link Reply}s).
 */
public final class SdkRawCalls implements RawCalls {
  private final StormChannels channels;

  /** Single attempts on {@code channels}. */
  public SdkRawCalls(StormChannels channels) {
    this.channels = channels;
  }

  private static CallSettings single(Duration deadline) {
    return CallSettings.inherit().withRetryPolicy(RetryPolicy.noRetry()).withDeadline(deadline)
        .withAttemptTimeout(deadline).withWaitForReady(false);
  }

  @Override
  public CompletableFuture<Reply<Grant>> login(int client, String username, String password, String deviceId,
      Duration deadline) {
    LoginRequest request = LoginRequest.newBuilder().setUsername(username).setPassword(password)
        .setDeviceId(deviceId).build();
    return reply(() -> channels.client(client).auth().loginAsync(request, single(deadline)), r -> {
      SessionGrant g = r.getGrant();
      return new Grant(g.getUserId(), g.getSessionToken(), g.getResumeTicket());
    });
  }

  @Override
  public CompletableFuture<Reply<Lease>> register(int client, String sessionToken, Duration deadline) {
    RegisterRequest request = RegisterRequest.newBuilder().setSessionToken(sessionToken).build();
    return reply(() -> channels.client(client).directory().registerAsync(request, single(deadline)), r ->
        new Lease(r.getLeaseId(), r.hasTtl() ? Duration.ofSeconds(r.getTtl().getSeconds(), r.getTtl().getNanos())
            : Duration.ofSeconds(60)));
  }

  @Override
  public CompletableFuture<Reply<Void>> heartbeat(int client, String sessionToken, String leaseId,
      Duration deadline) {
    HeartbeatRequest request = HeartbeatRequest.newBuilder().setSessionToken(sessionToken).setLeaseId(leaseId).build();
    return reply(() -> channels.client(client).directory().heartbeatAsync(request, single(deadline)), r -> null);
  }

  @Override
  public void reconnect(int client) {
    channels.move(client);
  }

  private static <R, T> CompletableFuture<Reply<T>> reply(java.util.function.Supplier<CompletableFuture<R>> call,
      Function<R, T> value) {
    CompletableFuture<R> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Reply.failed(Outcome.ERROR, "INTERNAL", -1));
    }
    return f.handle((r, error) -> {
      if (error == null) {
        return Reply.ok(value.apply(r));
      }
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof CallFailedException failed) {
        long pushbackMillis = failed.retryAfterNanos() < 0 ? -1 : failed.retryAfterNanos() / 1_000_000;
        return Reply.failed(StatusOutcome.of(cause), failed.code().name(), pushbackMillis);
      }
      return Reply.failed(Outcome.ERROR, "INTERNAL", -1);
    });
  }
}
