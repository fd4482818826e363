package dev.stampede.directory.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.directory.domain.CapacityExhaustedException;
import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.DrainingException;
import dev.stampede.directory.domain.NatType;
import dev.stampede.directory.domain.Presence;
import dev.stampede.directory.domain.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class PresenceHubTest {
  /** Subscriptions the test confirms or fails by hand. */
  static final class FakeFeed implements PresenceHub.Feed {
    final List<String> log = new ArrayList<>();
    final Deque<CompletableFuture<Void>> pending = new ArrayDeque<>();

    @Override
    public CompletionStage<Void> subscribe(Collection<String> userIds) {
      log.add("sub " + userIds);
      CompletableFuture<Void> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    @Override
    public void unsubscribe(Collection<String> userIds) {
      log.add("unsub " + userIds);
    }

    void confirmAll() {
      while (!pending.isEmpty()) {
        pending.poll().complete(null);
      }
    }
  }

  /** Reads the test answers by hand, from a map of current presence. */
  static final class FakeSource implements PresenceHub.Source {
    final Map<String, Presence> store = new HashMap<>();
    final Deque<Map.Entry<String, CompletableFuture<PresenceHub.Snapshot>>> reads = new ArrayDeque<>();
    long now = 1_000_000;
    int readCount;

    @Override
    public CompletionStage<PresenceHub.Snapshot> read(String userId) {
      readCount++;
      CompletableFuture<PresenceHub.Snapshot> f = new CompletableFuture<>();
      reads.add(Map.entry(userId, f));
      return f;
    }

    void answerAll() {
      while (!reads.isEmpty()) {
        var r = reads.poll();
        r.getValue().complete(new PresenceHub.Snapshot(store.getOrDefault(r.getKey(), Presence.offline(r.getKey())),
            now));
      }
    }

    void failNext(Throwable t) {
      reads.poll().getValue().completeExceptionally(t);
    }
  }

  /** A scheduler whose tasks run when the test says. */
  static final class FakeScheduler implements PresenceHub.Scheduler {
    final List<Map.Entry<Long, Runnable>> tasks = new ArrayList<>();

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
      Map.Entry<Long, Runnable> e = Map.entry(delayMillis, task);
      tasks.add(e);
      return () -> tasks.remove(e);
    }
  }

  static final class RecordingWatcher implements PresenceHub.Watcher {
    final List<Presence> offered = new ArrayList<>();
    final List<Throwable> ended = new ArrayList<>();

    @Override
    public void offer(Presence presence) {
      offered.add(presence);
    }

    @Override
    public void end(Throwable cause) {
      ended.add(cause);
    }
  }

  private final FakeFeed feed = new FakeFeed();
  private final FakeSource source = new FakeSource();
  private final FakeScheduler scheduler = new FakeScheduler();
  private final PresenceHub hub = new PresenceHub(source, feed, scheduler, 3, 250);

  private static Presence online(String user, String device, long expiresAt) {
    return new Presence(user, List.of(new DeviceLease(device, 1, expiresAt, NatType.OPEN, List.of())));
  }

  @Test
  void watch_subscribesFirst_thenReads_thenOffersTheSnapshot() {
    source.store.put("alice", online("alice", "phone", source.now + 60_000));
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice", "bob"), w);

    assertThat(feed.log).containsExactly("sub [alice, bob]");
    assertThat(source.readCount).isZero(); // not before Redis confirmed the subscription
    feed.confirmAll();
    source.answerAll();

    assertThat(w.offered).extracting(Presence::userId).containsExactlyInAnyOrder("alice", "bob");
    assertThat(hub.topicCount()).isEqualTo(2);
  }

  @Test
  void secondWatcherOfAUser_sharesSubscriptionAndRead_andGetsTheCurrentPresenceAtOnce() {
    source.store.put("alice", online("alice", "phone", source.now + 60_000));
    RecordingWatcher first = new RecordingWatcher();
    hub.watch(List.of("alice"), first);
    feed.confirmAll();
    source.answerAll();

    RecordingWatcher second = new RecordingWatcher();
    hub.watch(List.of("alice"), second);
    assertThat(feed.log).containsExactly("sub [alice]");
    assertThat(source.readCount).isEqualTo(1);
    assertThat(second.offered).containsExactly(source.store.get("alice"));
  }

  @Test
  void change_isReReadAndOffered_butAHeartbeatThatOnlyMovesExpiryIsNot() {
    source.store.put("alice", online("alice", "phone", source.now + 60_000));
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice"), w);
    feed.confirmAll();
    source.answerAll();

    source.store.put("alice", online("alice", "phone", source.now + 90_000)); // heartbeat
    hub.changed("alice");
    source.answerAll();
    assertThat(w.offered).hasSize(1);

    source.store.put("alice", online("alice", "laptop", source.now + 90_000)); // another device
    hub.changed("alice");
    source.answerAll();
    assertThat(w.offered).hasSize(2);
    assertThat(w.offered.get(1).devices().get(0).deviceId()).isEqualTo("laptop");
  }

  @Test
  void burstOfChangesDuringARead_costsOneMoreRead_andTheLatestStateWins() {
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice"), w);
    feed.confirmAll();
    source.answerAll();
    int before = source.readCount;

    hub.changed("alice"); // read in flight
    for (int i = 0; i < 100; i++) {
      hub.changed("alice");
    }
    source.store.put("alice", online("alice", "phone", source.now + 60_000));
    source.answerAll(); // answers the first read, which triggers exactly one more
    source.answerAll();

    assertThat(source.readCount - before).isEqualTo(2);
    assertThat(w.offered.get(w.offered.size() - 1).online()).isTrue();
  }

  @Test
  void expiryCheck_isScheduledAtTheEarliestExpiryPlusGrace_andReportsOffline() {
    source.store.put("alice", online("alice", "phone", source.now + 5_000));
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice"), w);
    feed.confirmAll();
    source.answerAll();

    assertThat(scheduler.tasks).hasSize(1);
    assertThat(scheduler.tasks.get(0).getKey()).isEqualTo(5_250L);

    source.store.remove("alice");
    source.now += 5_250;
    scheduler.tasks.get(0).getValue().run();
    source.answerAll();
    assertThat(w.offered).extracting(Presence::online).containsExactly(true, false);
    assertThat(scheduler.tasks).isEmpty(); // nothing left to expire
  }

  @Test
  void cancel_unsubscribesOnlyUsersNobodyWatches() {
    RecordingWatcher a = new RecordingWatcher();
    RecordingWatcher b = new RecordingWatcher();
    PresenceHub.Watch wa = hub.watch(List.of("alice", "bob"), a);
    hub.watch(List.of("bob"), b);
    feed.confirmAll();
    source.answerAll();

    hub.cancel(wa);
    hub.cancel(wa); // idempotent
    assertThat(feed.log).containsExactly("sub [alice, bob]", "unsub [alice]");
    assertThat(hub.topicCount()).isEqualTo(1);
    assertThat(hub.watchCount()).isEqualTo(1);
  }

  @Test
  void watchesBeyondTheLimit_areRefused() {
    for (int i = 0; i < 3; i++) {
      hub.watch(List.of("u" + i), new RecordingWatcher());
    }
    assertThatThrownBy(() -> hub.watch(List.of("x"), new RecordingWatcher()))
        .isInstanceOf(CapacityExhaustedException.class);
  }

  @Test
  void failedRead_endsTheWatchesOfThatUserOnly() {
    RecordingWatcher alice = new RecordingWatcher();
    RecordingWatcher bob = new RecordingWatcher();
    hub.watch(List.of("alice"), alice);
    hub.watch(List.of("bob"), bob);
    feed.confirmAll();
    StoreUnavailableException down = new StoreUnavailableException("down", null);
    source.failNext(down); // alice's read
    source.answerAll();
    for (int retry = 0; retry < PresenceHub.READ_RETRIES; retry++) {
      assertThat(alice.ended).isEmpty();
      // bob's expiry check is not due (he is offline: none); alice's retry is
      assertThat(scheduler.tasks).hasSize(1);
      scheduler.tasks.get(0).getValue().run();
      scheduler.tasks.remove(0);
      source.failNext(down);
    }

    assertThat(alice.ended).containsExactly(down);
    assertThat(bob.ended).isEmpty();
    assertThat(bob.offered).hasSize(1);
    assertThat(hub.watchCount()).isEqualTo(1);
    assertThat(feed.log).contains("unsub [alice]");
  }

  @Test
  void failedRead_isRetried_andASuccessfulRetryKeepsTheWatch() {
    source.store.put("alice", online("alice", "phone", source.now + 60_000));
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice"), w);
    feed.confirmAll();
    source.failNext(new StoreUnavailableException("slow", null));
    assertThat(scheduler.tasks).extracting(Map.Entry::getKey).containsExactly(100L);
    scheduler.tasks.remove(0).getValue().run();
    source.answerAll();
    assertThat(w.ended).isEmpty();
    assertThat(w.offered).hasSize(1);
  }

  @Test
  void failedSubscription_endsTheWatch() {
    RecordingWatcher w = new RecordingWatcher();
    hub.watch(List.of("alice"), w);
    StoreUnavailableException down = new StoreUnavailableException("down", null);
    feed.pending.poll().completeExceptionally(down);
    assertThat(w.ended).hasSize(1);
    assertThat(hub.watchCount()).isZero();
  }

  @Test
  void lostFeed_endsEveryWatch_butNewOnesAreTaken() {
    RecordingWatcher a = new RecordingWatcher();
    RecordingWatcher b = new RecordingWatcher();
    hub.watch(List.of("alice"), a);
    hub.watch(List.of("bob"), b);
    StoreUnavailableException lost = new StoreUnavailableException("lost", null);
    hub.endAll(lost);
    assertThat(a.ended).containsExactly(lost);
    assertThat(b.ended).containsExactly(lost);
    assertThat(hub.topicCount()).isZero();
    hub.watch(List.of("alice"), new RecordingWatcher());
    assertThat(hub.watchCount()).isEqualTo(1);
  }

  @Test
  void draining_endsEveryWatch_andRefusesNewOnes() {
    RecordingWatcher a = new RecordingWatcher();
    hub.watch(List.of("alice"), a);
    hub.closeAll(new DrainingException());
    assertThat(a.ended).hasSize(1).first().isInstanceOf(DrainingException.class);
    assertThatThrownBy(() -> hub.watch(List.of("alice"), new RecordingWatcher()))
        .isInstanceOf(DrainingException.class);
  }
}
