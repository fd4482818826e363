package dev.stampede.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.api.relay.v1.Frame;
import dev.stampede.relay.domain.RelayException;
import dev.stampede.relay.domain.Role;
import org.junit.jupiter.api.Test;

class SessionTest {
  private final FakeClock clock = new FakeClock();
  private final ForwardingStats stats = new ForwardingStats();
  private final Sessions sessions =
      new Sessions(4 * (65_536 + Pipe.FRAME_OVERHEAD), new BandwidthLimiter(1L << 40, clock, clock), stats);
  private final FakeStream owner = new FakeStream();
  private final FakeStream peer = new FakeStream();

  private Session join(Role role, FakeStream stream) {
    return sessions.attach("a1", "alice", "bob", role, stream, s -> true);
  }

  private static Frame frame(int tag) {
    return Frame.newBuilder().setData(ByteString.copyFrom(new byte[] {(byte) tag})).build();
  }

  @Test
  void firstSide_getsJoinedWithoutPeer_secondSide_getsJoinedWithPeer_andFirstIsTold() {
    join(Role.OWNER, owner);
    assertThat(owner.sent).hasSize(1);
    assertThat(owner.sent.get(0).getJoined().getAllocationId()).isEqualTo("a1");
    assertThat(owner.sent.get(0).getJoined().getPeerPresent()).isFalse();

    Session s = join(Role.PEER, peer);
    assertThat(peer.sent.get(0).getJoined().getPeerPresent()).isTrue();
    assertThat(owner.sent.get(1).getPeer().getPresent()).isTrue();
    assertThat(s.userOf(Role.PEER)).isEqualTo("bob");
    assertThat(stats.activeStreams()).isEqualTo(2);
  }

  @Test
  void framesFlowBothWays_inOrder() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    for (int i = 0; i < 20; i++) {
      s.onFrame(Role.OWNER, owner, frame(i));
      s.onFrame(Role.PEER, peer, frame(100 + i));
    }
    assertThat(peer.frameTags()).hasSize(20).first().isEqualTo((byte) 0);
    assertThat(owner.frameTags()).hasSize(20).last().isEqualTo((byte) 119);
  }

  @Test
  void framesSentBeforePeerJoins_waitInTheBuffer_andArriveFirst() {
    Session s = join(Role.OWNER, owner);
    s.onFrame(Role.OWNER, owner, frame(1));
    s.onFrame(Role.OWNER, owner, frame(2));
    join(Role.PEER, peer);
    assertThat(peer.sent.get(0).hasJoined()).isTrue();
    assertThat(peer.frameTags()).containsExactly((byte) 1, (byte) 2);
  }

  @Test
  void sameSideTwice_isAlreadyConnected() {
    join(Role.OWNER, owner);
    assertThatThrownBy(() -> join(Role.OWNER, new FakeStream()))
        .isInstanceOf(RelayException.class)
        .extracting(e -> ((RelayException) e).kind()).isEqualTo(RelayException.Kind.ALREADY_CONNECTED);
  }

  @Test
  void sideThatDisappears_endsTheOtherWithAborted_andTheSessionGoes() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    s.leave(Role.PEER, peer, null);
    assertThat(owner.failed.kind()).isEqualTo(RelayException.Kind.ENDED);
    assertThat(peer.failed).isNull();
    assertThat(sessions.size()).isZero();
    assertThat(stats.activeStreams()).isZero();
    // Both may join again: a fresh session.
    Session again = join(Role.OWNER, new FakeStream());
    assertThat(again).isNotSameAs(s);
  }

  @Test
  void badMessageFromOneSide_failsItWithItsError_andAbortsTheOther() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    s.leave(Role.OWNER, owner, RelayException.invalidArgument("frame.data: too big"));
    assertThat(owner.failed.kind()).isEqualTo(RelayException.Kind.INVALID_ARGUMENT);
    assertThat(peer.failed.kind()).isEqualTo(RelayException.Kind.ENDED);
  }

  @Test
  void halfClose_deliversFramesThenPeerStateFalse_andBothEndOkWhenBothDone() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    peer.ready = false;
    s.onFrame(Role.OWNER, owner, frame(1));
    s.onHalfClose(Role.OWNER, owner);
    assertThat(peer.frameTags()).isEmpty();
    peer.ready = true;
    s.onReady(Role.PEER, peer);
    ConnectResponse last = peer.sent.get(peer.sent.size() - 1);
    assertThat(peer.frameTags()).containsExactly((byte) 1);
    assertThat(last.hasPeer()).isTrue();
    assertThat(last.getPeer().getPresent()).isFalse();
    assertThat(owner.completed).isFalse();

    s.onFrame(Role.PEER, peer, frame(2));
    assertThat(owner.frameTags()).containsExactly((byte) 2);
    s.onHalfClose(Role.PEER, peer);
    assertThat(owner.sent.get(owner.sent.size() - 1).getPeer().getPresent()).isFalse();
    assertThat(owner.completed).isTrue();
    assertThat(peer.completed).isTrue();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void halfCloseWhileAlone_endsOkAtOnce() {
    Session s = join(Role.OWNER, owner);
    s.onHalfClose(Role.OWNER, owner);
    assertThat(owner.completed).isTrue();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void end_failsEveryConnectedSide() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    s.end(RelayException.of(RelayException.Kind.ENDED, "allocation released"));
    assertThat(owner.failed.getMessage()).isEqualTo("allocation released");
    assertThat(peer.failed.getMessage()).isEqualTo("allocation released");
    assertThat(stats.activeStreams()).isZero();
  }

  @Test
  void draining_goesOnlyToConnectedSides() {
    Session s = join(Role.OWNER, owner);
    Draining d = Draining.newBuilder().setAllocationId("a1").setRelayAddress("127.0.0.1:2").build();
    assertThat(s.sendDraining(Role.OWNER, d)).isTrue();
    assertThat(s.sendDraining(Role.PEER, d)).isFalse();
    assertThat(owner.sent.get(owner.sent.size() - 1).getDraining().getRelayAddress()).isEqualTo("127.0.0.1:2");
  }

  @Test
  void eventsOfAStreamThatIsNoLongerTheSide_areIgnored() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    FakeStream stale = new FakeStream();
    s.onFrame(Role.OWNER, stale, frame(9));
    s.leave(Role.OWNER, stale, RelayException.invalidArgument("x"));
    s.onHalfClose(Role.PEER, stale);
    assertThat(peer.frameTags()).isEmpty();
    assertThat(owner.failed).isNull();
    assertThat(peer.failed).isNull();
    assertThat(s.isConnected(Role.OWNER)).isTrue();
  }

  @Test
  void bindDeclining_attachesNothing() {
    Session s = sessions.attach("a1", "alice", "bob", Role.OWNER, owner, x -> false);
    assertThat(s).isNull();
    assertThat(owner.sent).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void stalledReceiver_boundsBufferedBytesAcrossTheSession() {
    Session s = join(Role.OWNER, owner);
    join(Role.PEER, peer);
    peer.ready = false;
    int sent = 0;
    while (sent < owner.requested) {
      s.onFrame(Role.OWNER, owner, Frame.newBuilder().setData(ByteString.copyFrom(new byte[65_536])).build());
      sent++;
    }
    assertThat(s.bufferedBytes(Role.OWNER)).isLessThanOrEqualTo(4 * (65_536 + Pipe.FRAME_OVERHEAD));
    assertThat(sessions.largestBuffer()).isEqualTo(s.bufferedBytes(Role.OWNER));
    assertThat(stats.bufferedBytes()).isEqualTo(s.bufferedBytes(Role.OWNER));
  }
}
