package dev.stampede.client.watch;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.Pushback;
import dev.stampede.client.time.TimeSource;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@code DirectoryService.Watch} that re-subscribes by itself.
 *
 * <p>The server may end a watch at any time (a pod draining or restarting); the watch then subscribes again and the
 * listener receives a fresh snapshot. The wait before re-subscribing: the server's pushback when it gave one;
 * otherwise, after a stream that had delivered events, a random wait below the first backoff (so the watchers of a
 * restarted pod do not all return in the same millisecond); otherwise the full-jitter backoff, growing with each
 * consecutive failure. {@code UNAUTHENTICATED} re-subscribes at once if the session token has changed since (the
 * connection refreshed it) and stops otherwise; {@code INVALID_ARGUMENT}, {@code PERMISSION_DENIED},
 * {@code NOT_FOUND}, {@code FAILED_PRECONDITION} and {@code UNIMPLEMENTED} stop the watch.
 *
 * <p>Thread-safe; holds no thread.
 */
public final class PresenceWatch implements AutoCloseable {
  /** Most users one watch may follow (directory.proto). */
  public static final int MAX_USERS = 100;

  private static final Set<Status.Code> FINAL = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED,
      Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.UNIMPLEMENTED);

  private final Channel channel;
  private final List<String> userIds;
  private final Supplier<String> sessionToken;
  private final WatchListener listener;
  private final TimeSource time;
  private final Backoff backoff;

  private ClientCall<WatchRequest, WatchEvent> call;
  private ScheduledFuture<?> timer;
  private String tokenInUse;
  private int subscriptions;
  private int consecutiveFailures;
  private boolean closed;

  private PresenceWatch(Channel channel, List<String> userIds, Supplier<String> sessionToken, WatchListener listener,
      TimeSource time, Backoff backoff) {
    this.channel = channel;
    this.userIds = userIds;
    this.sessionToken = sessionToken;
    this.listener = listener;
    this.time = time;
    this.backoff = backoff;
  }

  /**
   * Subscribes and keeps the subscription alive until {@link #close()}.
   *
   * @param sessionToken gives the current session token on every (re-)subscription
   * @param backoff waits between failed subscriptions
   * @throws IllegalArgumentException if {@code userIds} is empty, has more than {@value #MAX_USERS} distinct ids
   *     or an id outside 1..64 bytes
   */
  public static PresenceWatch start(Channel channel, List<String> userIds, Supplier<String> sessionToken,
      WatchListener listener, TimeSource time, Backoff backoff) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(sessionToken, "sessionToken");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(backoff, "backoff");
    PresenceWatch watch = new PresenceWatch(channel, checkUserIds(userIds), sessionToken, listener, time, backoff);
    watch.subscribe();
    return watch;
  }

  static List<String> checkUserIds(List<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    Set<String> distinct = new LinkedHashSet<>();
    for (String id : userIds) {
      Objects.requireNonNull(id, "userIds[]");
      int bytes = id.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 1 || bytes > 64) {
        throw new IllegalArgumentException("userIds: an id of " + bytes + " bytes (expected: 1..64 bytes)");
      }
      distinct.add(id);
    }
    if (distinct.isEmpty() || distinct.size() > MAX_USERS) {
      throw new IllegalArgumentException(
          "userIds: " + distinct.size() + " distinct ids (expected: 1.." + MAX_USERS + ")");
    }
    return List.copyOf(distinct);
  }

  private void subscribe() {
    ClientCall<WatchRequest, WatchEvent> next;
    String token;
    synchronized (this) {
      timer = null;
      if (closed) {
        return;
      }
      token = sessionToken.get();
      tokenInUse = token;
      subscriptions++;
      next = channel.newCall(DirectoryServiceGrpc.getWatchMethod(), CallOptions.DEFAULT.withWaitForReady());
      call = next;
    }
    Context previous = Context.ROOT.attach();
    try {
      next.start(new Listener(next), new Metadata());
      next.request(1);
      next.sendMessage(WatchRequest.newBuilder().setSessionToken(token == null ? "" : token)
          .addAllUserIds(userIds).build());
      next.halfClose();
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  private void onClosed(ClientCall<WatchRequest, WatchEvent> ended, Status status, Metadata trailers,
      boolean deliveredEvents) {
    long delay;
    synchronized (this) {
      if (closed || ended != call) {
        return;
      }
      call = null;
      Status.Code code = status.getCode();
      if (FINAL.contains(code)) {
        closed = true;
      } else if (code == Status.Code.UNAUTHENTICATED) {
        if (Objects.equals(sessionToken.get(), tokenInUse)) {
          closed = true;
        }
      }
      if (closed) {
        delay = -1;
      } else if (code == Status.Code.UNAUTHENTICATED) {
        delay = 0;
      } else {
        Pushback pushback = Pushback.from(status, trailers);
        if (deliveredEvents) {
          consecutiveFailures = 0;
        } else {
          consecutiveFailures++;
        }
        delay = pushback.isPresent() ? pushback.delayNanos() : backoff.delayNanos(Math.max(1, consecutiveFailures));
      }
    }
    if (delay < 0) {
      listener.onStopped(status);
      return;
    }
    listener.onResubscribing(status, Duration.ofNanos(delay));
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        timer = time.scheduler().schedule(this::subscribe, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        closed = true;
      }
    }
  }

  /** How many times the watch has subscribed (1 + re-subscriptions). */
  public synchronized int subscriptions() {
    return subscriptions;
  }

  /** Whether the watch is still subscribed or about to re-subscribe. */
  public synchronized boolean isActive() {
    return !closed;
  }

  /** Ends the watch; the listener receives {@link WatchListener#onStopped} with CANCELLED. Idempotent. */
  @Override
  public void close() {
    ClientCall<WatchRequest, WatchEvent> current;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      current = call;
      call = null;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
    if (current != null) {
      current.cancel("watch closed", null);
    }
    listener.onStopped(Status.CANCELLED.withDescription("watch closed"));
  }

  private final class Listener extends ClientCall.Listener<WatchEvent> {
    private final ClientCall<WatchRequest, WatchEvent> owner;
    private boolean delivered;

    Listener(ClientCall<WatchRequest, WatchEvent> owner) {
      this.owner = owner;
    }

    @Override
    public void onMessage(WatchEvent event) {
      delivered = true;
      try {
        listener.onEvent(event);
      } finally {
        owner.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onClosed(owner, status, trailers, delivered);
    }
  }
}
