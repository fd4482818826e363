package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.Draining;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.relay.drain.DrainReport;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two relay pods on one Redis. Draining the pod that holds a live allocation (what its SIGTERM handler does) moves
 * both peers to the other pod while they keep talking.
 */
class RelayDrainIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private final Clients clients = new Clients();
  private TestRelay a;
  private TestRelay b;

  @BeforeEach
  void start() {
    redis.flushAll();
    a = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    a.close();
    if (b != null) {
      b.close();
    }
  }

  private void startSecondPod() {
    b = TestRelay.start(redis.uri(), clients.ring, RelaySettings.defaults(), Clock.systemUTC());
  }

  @Test
  void drainingTheHoldingPod_movesBothPeers_andTheyKeepTalkingWithoutLoss() throws Exception {
    startSecondPod();
    ManagedChannel toA = clients.channel(a.address());
    AllocateResponse alloc = clients.allocate(toA, "alice", "bob");
    assertThat(alloc.getRelayAddress()).isEqualTo(a.address());
    String aliceToken = clients.token("alice");
    String bobToken = clients.token("bob");
    Leg aliceLeg = Leg.open(toA).join(alloc.getAllocationId(), aliceToken, "");
    aliceLeg.next();
    Leg bobLeg = Leg.open(toA).join(alloc.getAllocationId(), bobToken, alloc.getJoinToken());
    bobLeg.next();
    aliceLeg.next();
    MovingSide alice = new MovingSide("alice", aliceLeg, aliceToken, clients::channel);
    MovingSide bob = new MovingSide("bob", bobLeg, bobToken, clients::channel);

    int total = 600;
    CompletableFuture<DrainReport> drained = new CompletableFuture<>();
    for (int seq = 0; seq < total; seq++) {
      alice.send(seq, 1024);
      bob.send(1_000_000 + seq, 512);
      if (seq == total / 3) {
        // SIGTERM on pod A, from another thread, while both keep sending.
        Thread t = new Thread(() -> drained.complete(a.node.drain(Duration.ofSeconds(15))));
        t.start();
        Awaitility.await().until(() -> alice.drainings().size() == 1 && bob.drainings().size() == 1);
      }
      Thread.sleep(2);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> alice.received().size() >= total && bob.received().size() >= total);
    alice.stop();
    bob.stop();

    Draining toAlice = alice.drainings().get(0);
    Draining toBob = bob.drainings().get(0);
    assertThat(toAlice.getRelayAddress()).isEqualTo(b.address());
    assertThat(toBob.getAllocationId()).isEqualTo(toAlice.getAllocationId());
    assertThat(toAlice.getRejoinToken()).isNotEqualTo(toBob.getRejoinToken());
    assertInOrderWithoutLoss(bob.received(), 0, total);
    assertInOrderWithoutLoss(alice.received(), 1_000_000, total);

    DrainReport report = drained.get(20, TimeUnit.SECONDS);
    assertThat(report.moved()).isEqualTo(1);
    assertThat(report.streamsToldToMove()).isEqualTo(2);
    assertThat(report.streamsCutAtDeadline()).isZero();
    assertThat(a.node.sessions().size()).isZero();
    assertThat(b.node.sessions().get(alloc.getAllocationId()).isLive()).isTrue();
    // Both pods carried part of the call.
    assertThat(a.node.stats().framesForwarded()).isBetween(2L * (total / 3), 2L * total);
    assertThat(b.node.stats().framesForwarded()).isPositive();
    assertThat(a.node.stats().framesForwarded() + b.node.stats().framesForwarded()).isEqualTo(2L * total);
    assertThat(alice.readingLeg().closed).isNotDone();
  }

  private static void assertInOrderWithoutLoss(List<Long> received, long first, int count) {
    // The move protocol loses at most the frames in flight; with both sides following it, none.
    assertThat(received).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(received.get(i)).as("frame %d", i).isEqualTo(first + i);
    }
  }

  @Test
  void peerThatHadNotJoined_findsTheMovedAllocation_withItsOriginalJoinToken() throws Exception {
    startSecondPod();
    ManagedChannel toA = clients.channel(a.address());
    AllocateResponse alloc = clients.allocate(toA, "alice", "bob");
    Leg alice = Leg.open(toA).join(alloc.getAllocationId(), clients.token("alice"), "");
    alice.next();
    a.node.drain(Duration.ZERO);
    Draining d = alice.next().getDraining();
    assertThat(d.getRelayAddress()).isEqualTo(b.address());

    // Bob only knows the old pod: it tells him where to go, without spending his token.
    Leg lost = Leg.open(toA).join(alloc.getAllocationId(), clients.token("bob"), alloc.getJoinToken());
    assertThat(lost.awaitClose().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(Clients.errorInfo(lost.lastError).getMetadataMap()).containsEntry("relay_address", b.address());

    ManagedChannel toB = clients.channel(b.address());
    Leg bob = Leg.open(toB).join(alloc.getAllocationId(), clients.token("bob"), alloc.getJoinToken());
    assertThat(bob.next().getJoined().getPeerPresent()).isFalse();
    Leg aliceMoved = Leg.open(toB).join(d.getAllocationId(), clients.token("alice"), d.getRejoinToken());
    assertThat(aliceMoved.next().getJoined().getPeerPresent()).isTrue();
    aliceMoved.sendSeq(7, 100);
    assertThat(Leg.seqOf(nextFrame(bob))).isEqualTo(7);
    // A rejoin token is single-use and bound to its side.
    Leg replay = Leg.open(toB).join(d.getAllocationId(), clients.token("bob"), d.getRejoinToken());
    assertThat(replay.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  private static dev.stampede.api.relay.v1.ConnectResponse nextFrame(Leg leg) throws Exception {
    dev.stampede.api.relay.v1.ConnectResponse r = leg.next();
    while (!r.hasFrame()) {
      r = leg.next();
    }
    return r;
  }

  @Test
  void drainWithNoOtherPod_endsStreamsWithUnavailableDraining_andRefusesNewWork() throws Exception {
    ManagedChannel toA = clients.channel(a.address());
    AllocateResponse alloc = clients.allocate(toA, "alice", "bob");
    Leg alice = Leg.open(toA).join(alloc.getAllocationId(), clients.token("alice"), "");
    alice.next();
    CompletableFuture<DrainReport> drained =
        CompletableFuture.supplyAsync(() -> a.node.drain(Duration.ofSeconds(5)));
    Status status = alice.awaitClose();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Clients.errorInfo(alice.lastError).getReason()).isEqualTo("DRAINING");
    assertThat(Clients.pushback(alice.lastError)).isNotNull();
    assertThat(a.node.isDraining()).isTrue();

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> clients.allocate(toA, "carol", "dave"));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Clients.errorInfo(refused).getReason()).isEqualTo("DRAINING");
    assertThat(Clients.retryDelayMillis(refused)).isPositive();

    DrainReport report = drained.get(20, TimeUnit.SECONDS);
    assertThat(report.unmovable()).isEqualTo(1);
    assertThat(report.moved()).isZero();
    // The allocation was released rather than left pointing at a pod that is going away.
    Leg late = Leg.open(toA).join(alloc.getAllocationId(), clients.token("bob"), alloc.getJoinToken());
    assertThat(late.awaitClose().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void streamsThatDoNotMove_areCutAtTheEndOfTheGracePeriod() throws Exception {
    startSecondPod();
    ManagedChannel toA = clients.channel(a.address());
    AllocateResponse alloc = clients.allocate(toA, "alice", "bob");
    Leg alice = Leg.open(toA).join(alloc.getAllocationId(), clients.token("alice"), "");
    alice.next();
    DrainReport report = a.node.drain(Duration.ofMillis(300));
    assertThat(alice.next().hasDraining()).isTrue();
    assertThat(report.streamsCutAtDeadline()).isEqualTo(1);
    Status status = alice.awaitClose();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Clients.errorInfo(alice.lastError).getReason()).isEqualTo("DRAINING");
  }
}
