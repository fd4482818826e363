package dev.stampede.directory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchBacklogTest {
  /** A sink whose readiness the test controls, like a transport whose window is full or has room. */
  static class FakeSink implements WatchBacklog.Sink {
    boolean ready;
    final List<String> sent = new ArrayList<>();

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void send(Presence presence, boolean initial, boolean coalesced) {
      sent.add(presence.userId() + ":" + presence.devices().size() + (initial ? ":initial" : "")
          + (coalesced ? ":coalesced" : ""));
    }
  }

  static final class CountingStats implements WatchBacklog.Stats {
    int pending;
    int coalesced;

    @Override
    public void pendingChanged(int delta) {
      pending += delta;
    }

    @Override
    public void coalesced() {
      coalesced++;
    }
  }

  private static Presence online(String user, int devices) {
    List<DeviceLease> d = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      d.add(new DeviceLease("d" + i, i, 1000, NatType.OPEN, List.of()));
    }
    return new Presence(user, d);
  }

  @Test
  void readySink_getsEveryEvent_firstOfEachUserMarkedInitial() {
    FakeSink sink = new FakeSink();
    sink.ready = true;
    WatchBacklog backlog = new WatchBacklog(sink, WatchBacklog.Stats.NONE);
    backlog.offer(online("a", 1));
    backlog.offer(online("b", 0));
    backlog.offer(online("a", 2));
    assertThat(sink.sent).containsExactly("a:1:initial", "b:0:initial", "a:2");
    assertThat(backlog.pendingCount()).isZero();
  }

  @Test
  void neverReadySink_holdsAtMostOneEventPerUser_theLatest() {
    FakeSink sink = new FakeSink();
    CountingStats stats = new CountingStats();
    WatchBacklog backlog = new WatchBacklog(sink, stats);
    for (int round = 0; round < 10_000; round++) {
      backlog.offer(online("a", round % 3));
      backlog.offer(online("b", round % 5));
    }
    assertThat(backlog.pendingCount()).isEqualTo(2);
    assertThat(stats.pending).isEqualTo(2);
    assertThat(stats.coalesced).isEqualTo(2 * 10_000 - 2);
    assertThat(sink.sent).isEmpty();

    sink.ready = true;
    backlog.drain();
    assertThat(sink.sent).containsExactly("a:" + (9_999 % 3) + ":initial:coalesced",
        "b:" + (9_999 % 5) + ":initial:coalesced");
    assertThat(stats.pending).isZero();
  }

  @Test
  void coalescedAfterInitial_isNotInitial() {
    FakeSink sink = new FakeSink();
    sink.ready = true;
    WatchBacklog backlog = new WatchBacklog(sink, WatchBacklog.Stats.NONE);
    backlog.offer(online("a", 1));
    sink.ready = false;
    backlog.offer(online("a", 2));
    backlog.offer(online("a", 3));
    sink.ready = true;
    backlog.drain();
    assertThat(sink.sent).containsExactly("a:1:initial", "a:3:coalesced");
  }

  @Test
  void sinkThatFillsUp_stopsSendingUntilDrained() {
    FakeSink sink = new FakeSink() {
      @Override
      public void send(Presence presence, boolean initial, boolean coalesced) {
        super.send(presence, initial, coalesced);
        ready = false; // the window fills after one message
      }
    };
    sink.ready = true;
    WatchBacklog backlog = new WatchBacklog(sink, WatchBacklog.Stats.NONE);
    backlog.offer(online("a", 1));
    backlog.offer(online("b", 1));
    backlog.offer(online("c", 1));
    assertThat(sink.sent).containsExactly("a:1:initial");
    sink.ready = true;
    backlog.drain();
    assertThat(sink.sent).containsExactly("a:1:initial", "b:1:initial");
  }

  @Test
  void close_dropsPending_runsTheLastActionOnce_andIgnoresLaterOffers() {
    FakeSink sink = new FakeSink();
    CountingStats stats = new CountingStats();
    WatchBacklog backlog = new WatchBacklog(sink, stats);
    backlog.offer(online("a", 1));
    int[] closes = new int[1];
    assertThat(backlog.close(() -> closes[0]++)).isTrue();
    assertThat(backlog.close(() -> closes[0]++)).isFalse();
    backlog.offer(online("b", 1));
    sink.ready = true;
    backlog.drain();
    assertThat(closes[0]).isEqualTo(1);
    assertThat(sink.sent).isEmpty();
    assertThat(stats.pending).isZero();
  }
}
