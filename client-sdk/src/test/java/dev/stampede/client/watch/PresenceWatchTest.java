package dev.stampede.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.Presence;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.client.StampedeClient;
import dev.stampede.client.testing.Faults;
import dev.stampede.client.testing.InProcessStampede;
import dev.stampede.client.testing.Recorder;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceWatchTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final FakeClock clock = new FakeClock();
  private final WatchingDirectory directory = new WatchingDirectory(clock);
  private final InProcessStampede stampede = new InProcessStampede(clock).serve("directory", directory);
  private final StampedeClient client = stampede.client(stampede.clientBuilder(5));
  private final Events events = new Events();
  private final AtomicReference<String> token = new AtomicReference<>("token-1");

  @AfterEach
  void close() {
    stampede.close();
  }

  /** Sends a snapshot on every subscription; refuses or ends streams as the test says. */
  static final class WatchingDirectory extends DirectoryServiceGrpc.DirectoryServiceImplBase {
    final Recorder<WatchRequest> subscriptions;
    final List<StreamObserver<WatchEvent>> open = new CopyOnWriteArrayList<>();
    volatile StatusRuntimeException refuse;

    WatchingDirectory(FakeClock clock) {
      this.subscriptions = new Recorder<>(clock);
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> events) {
      subscriptions.record(request);
      if (refuse != null) {
        events.onError(refuse);
        return;
      }
      for (String user : request.getUserIdsList()) {
        events.onNext(WatchEvent.newBuilder().setInitial(true)
            .setPresence(Presence.newBuilder().setUserId(user).setOnline(true)).build());
      }
      open.add(events);
    }

    void endAll(StatusRuntimeException failure) {
      List<StreamObserver<WatchEvent>> ending = new ArrayList<>(open);
      open.clear();
      ending.forEach(o -> o.onError(failure));
    }
  }

  static final class Events implements WatchListener {
    final List<WatchEvent> received = new CopyOnWriteArrayList<>();
    final List<Duration> resubscribeDelays = new CopyOnWriteArrayList<>();
    volatile Status stopped;

    @Override
    public void onEvent(WatchEvent event) {
      received.add(event);
    }

    @Override
    public void onResubscribing(Status cause, Duration delay) {
      resubscribeDelays.add(delay);
    }

    @Override
    public void onStopped(Status cause) {
      stopped = cause;
    }
  }

  private PresenceWatch watch() {
    return client.directory().watch(List.of("u-bob", "u-carol"), token::get, events);
  }

  @Test
  void streamEndedByTheServer_isResubscribedSoon_andASnapshotArrivesAgain() {
    PresenceWatch watch = watch();
    clock.runDueTasks();
    assertThat(events.received).hasSize(2).allMatch(WatchEvent::getInitial);

    directory.endAll(Status.UNAVAILABLE.withDescription("draining").asRuntimeException());
    clock.forward(Duration.ofSeconds(1));

    assertThat(watch.subscriptions()).isEqualTo(2);
    assertThat(events.received).hasSize(4);
    List<Long> at = directory.subscriptions.arrivals();
    assertThat(at.get(1) - at.get(0)).as("a random wait below the first backoff").isBetween(0L, SECOND / 2);
    assertThat(watch.isActive()).isTrue();
  }

  @Test
  void pushback_isHonouredBeforeResubscribing() {
    watch();
    clock.runDueTasks();

    directory.endAll(Faults.overloaded(Status.Code.UNAVAILABLE, 3_000));
    clock.forward(Duration.ofSeconds(10));

    List<Long> at = directory.subscriptions.arrivals();
    assertThat(at).hasSize(2);
    assertThat(at.get(1) - at.get(0)).isEqualTo(3 * SECOND);
  }

  @Test
  void refusedSubscriptions_backOffMoreAndMore() {
    directory.refuse = Faults.plain(Status.Code.UNAVAILABLE);
    watch();
    clock.forward(Duration.ofMinutes(3));

    List<Long> at = directory.subscriptions.arrivals();
    assertThat(at.size()).isBetween(6, 40);
    long ceiling = SECOND / 2;
    for (int i = 1; i < Math.min(at.size(), 7); i++) {
      assertThat(at.get(i) - at.get(i - 1)).as("gap %d", i).isLessThanOrEqualTo(ceiling);
      ceiling *= 2;
    }
  }

  @Test
  void refusedToken_stopsTheWatch_unlessTheTokenHasChangedSince() {
    watch();
    clock.runDueTasks();

    token.set("token-2");
    directory.endAll(Status.UNAUTHENTICATED.asRuntimeException());
    clock.runDueTasks();
    assertThat(directory.subscriptions.last().getSessionToken()).isEqualTo("token-2");
    assertThat(events.stopped).isNull();

    directory.endAll(Status.UNAUTHENTICATED.asRuntimeException());
    clock.forward(Duration.ofMinutes(1));
    assertThat(events.stopped.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(directory.subscriptions.count()).isEqualTo(2);
  }

  @Test
  void invalidArgument_stopsTheWatch() {
    directory.refuse = Status.INVALID_ARGUMENT.withDescription("user_ids: 0").asRuntimeException();
    PresenceWatch watch = watch();
    clock.forward(Duration.ofMinutes(1));

    assertThat(events.stopped.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(watch.isActive()).isFalse();
    assertThat(directory.subscriptions.count()).isEqualTo(1);
  }

  @Test
  void close_endsTheStream_andNothingFollows() {
    PresenceWatch watch = watch();
    clock.runDueTasks();

    watch.close();
    directory.endAll(Status.UNAVAILABLE.asRuntimeException());
    clock.forward(Duration.ofMinutes(1));

    assertThat(events.stopped.getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(directory.subscriptions.count()).isEqualTo(1);
  }

  @Test
  void userIds_outsideTheContract_areRefused() {
    assertThatThrownBy(() -> client.directory().watch(List.of(), token::get, events))
        .hasMessage("userIds: 0 distinct ids (expected: 1..100)");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("u-" + i);
    }
    assertThatThrownBy(() -> client.directory().watch(many, token::get, events))
        .hasMessage("userIds: 101 distinct ids (expected: 1..100)");
    assertThatThrownBy(() -> client.directory().watch(Collections.nCopies(1, "x".repeat(65)), token::get, events))
        .hasMessage("userIds: an id of 65 bytes (expected: 1..64 bytes)");
    assertThat(directory.subscriptions.count()).isZero();
  }
}
