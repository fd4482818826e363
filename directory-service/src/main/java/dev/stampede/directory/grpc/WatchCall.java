package dev.stampede.directory.grpc;

import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.directory.domain.Presence;
import dev.stampede.directory.domain.WatchBacklog;
import dev.stampede.directory.watch.PresenceHub;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * One Watch stream: the hub's {@link PresenceHub.Watcher} on one side, the gRPC stream on the other, and a
 * {@link WatchBacklog} between them. Events go out only while the transport is ready (its flow-control window has
 * room); otherwise at most one event per watched user waits, holding that user's latest presence. A watcher that
 * never reads therefore holds the transport's fixed buffer plus one pending event per watched user — never more.
 *
 * <p>Ends once: by the client (cancel), or by the server with a status (Redis lost, draining). Thread-safe.
 */
final class WatchCall implements PresenceHub.Watcher, WatchBacklog.Sink {
  private final ServerCallStreamObserver<WatchEvent> stream;
  private final WatchBacklog backlog;
  private final Statuses statuses;
  private final DirectoryMetrics metrics;
  private final PresenceHub hub;
  private volatile PresenceHub.Watch watch;
  private volatile boolean ended;

  WatchCall(ServerCallStreamObserver<WatchEvent> stream, PresenceHub hub, Statuses statuses,
      DirectoryMetrics metrics) {
    this.stream = stream;
    this.hub = hub;
    this.statuses = statuses;
    this.metrics = metrics;
    this.backlog = new WatchBacklog(this, metrics.backlogStats());
    // Both handlers must be set before the service method returns.
    stream.setOnReadyHandler(backlog::drain);
    stream.setOnCancelHandler(this::cancelled);
    metrics.watchOpened();
  }

  /** Starts receiving from the hub (after the token checks passed). */
  void start(PresenceHub.Watch registered) {
    this.watch = registered;
    if (ended) {
      hub.cancel(registered); // cancelled while the token was being checked
    }
  }

  @Override
  public void offer(Presence presence) {
    backlog.offer(presence);
  }

  @Override
  public void end(Throwable cause) {
    ended = true;
    backlog.close(() -> stream.onError(statuses.toStatus(cause)));
    release();
  }

  /** Ends the stream before it started (token refused, capacity, draining). */
  void fail(Throwable cause) {
    end(cause);
  }

  private void cancelled() {
    ended = true;
    backlog.close();
    release();
  }

  private void release() {
    PresenceHub.Watch w = watch;
    if (w != null) {
      hub.cancel(w);
    }
    if (!closedOnce) {
      synchronized (this) {
        if (!closedOnce) {
          closedOnce = true;
          metrics.watchClosed();
        }
      }
    }
  }

  private volatile boolean closedOnce;

  @Override
  public boolean isReady() {
    return stream.isReady();
  }

  @Override
  public void send(Presence presence, boolean initial, boolean coalesced) {
    stream.onNext(WatchEvent.newBuilder()
        .setPresence(ProtoMapping.presence(presence))
        .setInitial(initial)
        .setCoalesced(coalesced)
        .build());
    metrics.watchEventSent();
  }
}
