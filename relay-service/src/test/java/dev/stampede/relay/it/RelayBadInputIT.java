package dev.stampede.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.ConnectRequest;
import dev.stampede.api.relay.v1.JoinRequest;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.relay.config.RelaySettings;
import dev.stampede.testing.RedisFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage and oversize messages on Connect get a clear status on their own stream, end their peer's stream with
 * ABORTED, and leave every other stream alone.
 */
class RelayBadInputIT {
  @RegisterExtension
  static final RedisFixture redis = RedisFixture.create();

  private static final Clients clients = new Clients();
  private static TestRelay relay;
  private static ManagedChannel channel;
  /** A healthy allocation that lives through the whole class: nothing here may disturb it. */
  private static Leg carol;
  private static Leg dave;
  private static long bystanderSeq;

  @BeforeAll
  static void start() throws Exception {
    RelaySettings settings = RelaySettings.builder().joinTimeout(Duration.ofMillis(500))
        .maxAllocationsPerUser(100).build();
    relay = TestRelay.start(redis.uri(), clients.ring, settings, Clock.systemUTC());
    channel = clients.channel(relay.address());
    AllocateResponse a = clients.allocate(channel, "carol", "dave");
    carol = Leg.open(channel).join(a.getAllocationId(), clients.token("carol"), "");
    carol.next();
    dave = Leg.open(channel).join(a.getAllocationId(), clients.token("dave"), a.getJoinToken());
    dave.next();
    carol.next();
  }

  @AfterAll
  static void stop() throws Exception {
    assertBystanderUnaffected();
    clients.close();
    relay.close();
  }

  private static void assertBystanderUnaffected() throws Exception {
    carol.sendSeq(bystanderSeq, 100);
    dave.sendSeq(bystanderSeq, 100);
    assertThat(Leg.seqOf(dave.next())).isEqualTo(bystanderSeq);
    assertThat(Leg.seqOf(carol.next())).isEqualTo(bystanderSeq);
    bystanderSeq++;
    assertThat(carol.closed).isNotDone();
    assertThat(dave.closed).isNotDone();
  }

  private Leg[] pair() throws Exception {
    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Leg alice = Leg.open(channel).join(a.getAllocationId(), clients.token("alice"), "");
    alice.next();
    Leg bob = Leg.open(channel).join(a.getAllocationId(), clients.token("bob"), a.getJoinToken());
    bob.next();
    alice.next();
    return new Leg[] {alice, bob};
  }

  private static byte[] join(String allocationId, String token) {
    return ConnectRequest.newBuilder().setJoin(JoinRequest.newBuilder().setAllocationId(allocationId)
        .setSessionToken(token)).build().toByteArray();
  }

  @Test
  void frameOverSixtyFourKibibytes_isInvalidArgument_andThePeerIsAborted() throws Exception {
    Leg[] legs = pair();
    legs[0].send(ByteString.copyFrom(new byte[RelaySettings.MAX_FRAME_BYTES + 1]));
    Status status = legs[0].awaitClose();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("frame.data: 65537 bytes (expected: 0..65536 bytes)");
    assertThat(legs[1].awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
    assertBystanderUnaffected();
  }

  @Test
  void messageOverTheTransportLimit_endsThatStreamOnly() throws Exception {
    Leg[] legs = pair();
    legs[0].send(ByteString.copyFrom(new byte[1024 * 1024]));
    // grpc-java refuses it before parsing: RESOURCE_EXHAUSTED, or a reset (CANCELLED) once headers were sent.
    assertThat(legs[0].awaitClose().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    assertThat(legs[1].awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
    assertBystanderUnaffected();
  }

  @Test
  void garbageBytes_beforeOrAfterTheJoin_areInvalidArgument() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    Status before = RawCalls.stream(channel, RelayServiceGrpc.getConnectMethod(), garbage);
    assertThat(before.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(before.getDescription()).isEqualTo("message: not a valid stampede.relay.v1.ConnectRequest");

    AllocateResponse a = clients.allocate(channel, "alice", "bob");
    Status after = RawCalls.stream(channel, RelayServiceGrpc.getConnectMethod(),
        join(a.getAllocationId(), clients.token("alice")), garbage);
    assertThat(after.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(after.getDescription()).isEqualTo("message: not a valid stampede.relay.v1.ConnectRequest");
    assertBystanderUnaffected();
  }

  @Test
  void protocolMistakes_areInvalidArgument() throws Exception {
    Leg frameFirst = Leg.open(channel);
    frameFirst.sendSeq(1, 10);
    assertThat(frameFirst.awaitClose().getDescription()).isEqualTo("first message: frame (expected: join)");

    Leg[] legs = pair();
    AllocateResponse other = clients.allocate(channel, "alice", "erin");
    legs[0].join(other.getAllocationId(), clients.token("alice"), "");
    Status secondJoin = legs[0].awaitClose();
    assertThat(secondJoin.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(secondJoin.getDescription()).startsWith("join: a second join");

    Leg[] more = pair();
    Status empty = RawCalls.stream(channel, RelayServiceGrpc.getConnectMethod(),
        join(clients.allocate(channel, "alice", "frank").getAllocationId(), clients.token("alice")), new byte[0]);
    assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(empty.getDescription()).isEqualTo("kind: not set (expected: frame)");
    assertThat(more[0].closed).isNotDone();

    Leg silent = Leg.open(channel);
    Status timedOut = silent.awaitClose();
    assertThat(timedOut.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(timedOut.getDescription()).startsWith("join: none within");
    assertBystanderUnaffected();
  }

  @Test
  void joinFieldsOutsideTheirLimits_areInvalidArgumentNamingTheField() throws Exception {
    String token = clients.token("alice");
    assertThat(Leg.open(channel).join("a".repeat(65), token, "").awaitClose().getDescription())
        .isEqualTo("join.allocation_id: 65 bytes (expected: 1..64 bytes)");
    assertThat(Leg.open(channel).join("", token, "").awaitClose().getDescription())
        .isEqualTo("join.allocation_id: 0 bytes (expected: 1..64 bytes)");
    assertThat(Leg.open(channel).join("abc", "", "").awaitClose().getDescription())
        .isEqualTo("join.session_token: 0 bytes (expected: 1..1024 bytes)");
    assertThat(Leg.open(channel).join("abc", token, "t".repeat(257)).awaitClose().getDescription())
        .isEqualTo("join.join_token: 257 bytes (expected: 0..256 bytes)");
    assertThat(Leg.open(channel).join("abc", "not-a-token", "").awaitClose().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Leg.open(channel).join("no-such-allocation", token, "").awaitClose().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(Leg.open(channel).join("{x}:äöü", token, "").awaitClose().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertBystanderUnaffected();
  }
}
