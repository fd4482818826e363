package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.ConnectResponse;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connect over real loopback gRPC against the Redis fixture: joining, forwarding, backpressure. */
class RelayForwardingIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private final Clients clients = new Clients();
  private TestRelay relay;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    redis.flushAll();
    relay = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
    channel = clients.channel(relay.address());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    relay.close();
  }

  /** Alice allocates for Bob; both join. Returns {alice, bob}. */
  private Leg[] pair(AllocateResponse a) throws Exception {
    Leg alice = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    assertThat(alice.next().getJoined().getPeerPresent()).isFalse();
    Leg bob = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    assertThat(bob.next().getJoined().getPeerPresent()).isTrue();
    assertThat(alice.next().getPeer().getPresent()).isTrue();
    return new Leg[] {alice, bob};
  }

  @Test
  void twoUsers_relayFramesBothWays_inOrder() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    assertThat(a.getRelayAddress()).isEqualTo(relay.address());
    Leg[] legs = pair(a);
    Random random = new Random(1);
    int frames = 300;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      sizes.add(i % 50 == 0 ? RelaySettings.MAX_FRAME_BYTES : 8 + random.nextInt(4096));
    }
    for (int i = 0; i < frames; i++) {
      legs[0].sendSeq(i, sizes.get(i));
      legs[1].sendSeq(1_000_000 + i, sizes.get(frames - 1 - i));
    }
    for (int i = 0; i < frames; i++) {
      ConnectResponse toBob = legs[1].next();
      assertThat(Leg.seqOf(toBob)).isEqualTo(i);
      assertThat(toBob.getFrame().getData()).isEqualTo(Leg.seqFrame(i, sizes.get(i)));
      ConnectResponse toAlice = legs[0].next();
      assertThat(Leg.seqOf(toAlice)).isEqualTo(1_000_000 + i);
      assertThat(toAlice.getFrame().getData().size()).isEqualTo(Math.max(8, sizes.get(frames - 1 - i)));
    }
    assertThat(relay.node.stats().framesForwarded()).isEqualTo(2L * frames);

    legs[0].halfClose();
    ConnectResponse end = legs[1].next();
    assertThat(end.hasPeer() && !end.getPeer().getPresent()).isTrue();
    legs[1].halfClose();
    assertThat(legs[0].next().getPeer().getPresent()).isFalse();
    assertThat(legs[0].awaitClose().getCode()).isEqualTo(Status.Code.OK);
    assertThat(legs[1].awaitClose().getCode()).isEqualTo(Status.Code.OK);
    Awaitility.await().until(() -> relay.node.stats().activeStreams() == 0);
  }

  @Test
  void thirdUser_withValidSessionToken_cannotJoin() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg carol = Leg.open(channel).join(a.getAllocationId(), clients.token("carol"), "");
    assertThat(carol.awaitClose().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

    // Carol holding Bob's join token is no better off, and the token stays Bob's.
    Leg thief = Leg.open(channel).join(a.getAllocationId(), clients.token("carol"), a.getJoinToken());
    assertThat(thief.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Clients.errorInfo(thief.lastError).getReason()).isEqualTo("JOIN_TOKEN_INVALID");

    Leg bob = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    assertThat(bob.next().hasJoined()).isTrue();
  }

  @Test
  void joinToken_cannotBeReused_butAJoinedPeerMayRejoinWithout() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg early = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), "");
    assertThat(early.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(early.lastError.getMessage()).contains("join_token: required");

    Leg bob = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    assertThat(bob.next().hasJoined()).isTrue();
    bob.cancel();
    Awaitility.await().until(() -> relay.node.stats().activeStreams() == 0);

    Leg again = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    assertThat(again.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Clients.errorInfo(again.lastError).getReason()).isEqualTo("JOIN_TOKEN_INVALID");

    Leg rejoin = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), "");
    assertThat(rejoin.next().hasJoined()).isTrue();
  }

  @Test
  void sameSideTwice_isAlreadyExists() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg first = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    assertThat(first.next().hasJoined()).isTrue();
    Leg second = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    assertThat(second.awaitClose().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(first.closed).isNotDone();
  }

  @Test
  void stalledReceiver_turnsSendersIsReadyFalse_andRelayBufferStaysWithinOneMebibyte() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg alice = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    assertThat(alice.next().hasJoined()).isTrue();
    // Bob's client takes Joined (and PeerState) and then reads nothing; its transport window is small.
    ManagedChannel bobChannel = clients.channel(relay.address(), 64 * 1024);
    Leg bob = Leg.open(bobChannel, false).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    assertThat(bob.next().hasJoined()).isTrue();
    assertThat(alice.next().getPeer().getPresent()).isTrue();

    int frame = 32 * 1024;
    long sent = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    // Send while the transport says ready; a stalled path must make it say "not ready" for good.
    while (System.nanoTime() < deadline) {
      if (alice.isReady()) {
        alice.sendSeq(sent / frame, frame);
        sent += frame;
        continue;
      }
      Thread.sleep(300);
      if (!alice.isReady()) {
        break;
      }
    }
    assertThat(alice.isReady()).as("sender's isReady after the receiver stopped").isFalse();
    // Bytes already in flight may still reach the relay's queue: read it once it has stopped changing.
    long[] settled = {-1};
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
      long now = relay.node.sessions().largestBuffer();
      boolean same = now == settled[0];
      settled[0] = now;
      return same;
    });
    long buffered = relay.node.sessions().largestBuffer();
    assertThat(buffered).isPositive().isLessThanOrEqualTo(RelaySettings.DEFAULT_STREAM_BUFFER);
    assertThat(relay.node.stats().bufferedBytes()).isLessThanOrEqualTo(RelaySettings.MAX_STREAM_MEMORY);
    assertThat(relay.gauge("stampede.relay.stream.buffered.max")).isEqualTo((double) buffered);
    // What the path holds in all: Bob's window, the relay (outbound, queue, inbound window), Alice's own buffer.
    assertThat(sent).isLessThan(4L * 1024 * 1024);
    Thread.sleep(300);
    assertThat(relay.node.sessions().largestBuffer()).isEqualTo(buffered);

    bob.readAll();
    long expected = sent / frame;
    for (long i = 0; i < expected; i++) {
      ConnectResponse r = bob.next();
      while (r.hasPeer()) {
        r = bob.next();
      }
      assertThat(Leg.seqOf(r)).isEqualTo(i);
    }
    Awaitility.await().until(alice::isReady);
    assertThat(relay.node.sessions().largestBuffer()).isZero();
  }

  @Test
  void peerThatDisappears_endsTheOtherStreamWithAborted() throws Exception {
    Leg[] legs = pair(clients.allocate(channel, "alice", "bob"));
    legs[1].cancel();
    Status status = legs[0].awaitClose();
    assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(status.getDescription()).contains("peer left");
  }

  @Test
  void release_endsBothStreamsWithAborted_andIsIdempotent() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg[] legs = pair(a);
    clients.release(channel, "bob", a.getAllocationId());
    assertThat(legs[0].awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(legs[1].awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
    clients.release(channel, "alice", a.getAllocationId());
    Leg late = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    assertThat(late.awaitClose().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void release_byStranger_isPermissionDenied() {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    var e = catchThrowableOfType(io.grpc.StatusRuntimeException.class,
        () -> clients.release(channel, "carol", a.getAllocationId()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }
}
