package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.endpoint;
import static dev.stampede.directory.it.Calls.failsWith;
import static dev.stampede.directory.it.Calls.reason;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DevicePresence;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.Endpoint;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.LookupResponse;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.RelayAdvice;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.localstack.RedisServer;
import dev.stampede.testing.InjectRedis;
import dev.stampede.testing.RedisTestResource;
import dev.stampede.tokens.revocation.RevocationRecords;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every RPC on one instance over real loopback gRPC and a real Redis. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(DirectoryTestResource.class)
class DirectoryServiceIT {
  @InjectRedis
  RedisServer redis;

  private ManagedChannel channel;
  private DirectoryServiceGrpc.DirectoryServiceBlockingStub stub;

  @BeforeEach
  void connect() {
    channel = Calls.channel(DirectoryTestResource.grpcPort);
    stub = Calls.stub(channel);
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  private LookupResponse lookup(String asUser, String user) {
    return stub.lookup(LookupRequest.newBuilder().setSessionToken(TestTokens.token(asUser, "lookup-dev"))
        .setUserId(user).build());
  }

  @Test
  void register_thenLookup_showsTheDeviceItsEndpointsAndARelayHint() {
    RegisterResponse r = register(stub, TestTokens.token("reg-alice", "laptop"), NatType.NAT_TYPE_FULL_CONE,
        endpoint("192.0.2.10", 40000), endpoint("2001:DB8::10", 40001));
    assertThat(r.getLeaseId()).hasSizeBetween(1, 64);
    assertThat(r.getTtl().getSeconds()).isEqualTo(60);
    assertThat(r.getExpiresAt().getSeconds()).isGreaterThan(System.currentTimeMillis() / 1000 + 50);

    LookupResponse l = lookup("reg-bob", "reg-alice");
    assertThat(l.getPresence().getUserId()).isEqualTo("reg-alice");
    assertThat(l.getPresence().getOnline()).isTrue();
    DevicePresence d = l.getPresence().getDevices(0);
    assertThat(d.getDeviceId()).isEqualTo("laptop");
    assertThat(d.getNatType()).isEqualTo(NatType.NAT_TYPE_FULL_CONE);
    assertThat(d.getEndpointsList()).extracting(Endpoint::getHost).containsExactly("192.0.2.10", "2001:db8::10");
    assertThat(d.getExpiresAt()).isEqualTo(r.getExpiresAt());
    assertThat(l.getRelayHint().getAdvice()).isEqualTo(RelayAdvice.RELAY_ADVICE_DIRECT);
    assertThat(l.getRelayHint().getRelayTarget()).isEqualTo("dns:///relay.test:9000");
  }

  @Test
  void unknownUser_looksExactlyLikeAnOfflineOne() {
    LookupResponse unknown = lookup("look-bob", "never-registered");
    String token = TestTokens.token("look-gone", "phone");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    stub.unregister(UnregisterRequest.newBuilder().setSessionToken(token).setLeaseId(r.getLeaseId()).build());
    LookupResponse gone = lookup("look-bob", "look-gone");

    assertThat(unknown.getPresence().getOnline()).isFalse();
    assertThat(unknown.getPresence().getDevicesList()).isEmpty();
    assertThat(gone.getPresence().toBuilder().setUserId("x").build())
        .isEqualTo(unknown.getPresence().toBuilder().setUserId("x").build());
    assertThat(gone.getRelayHint()).isEqualTo(unknown.getRelayHint());
  }

  @Test
  void oneUserTwoDevices_areBothPresent_andHeartbeatIndependently() {
    String laptop = TestTokens.token("two-carol", "laptop");
    String phone = TestTokens.token("two-carol", "phone");
    RegisterResponse a = register(stub, laptop, NatType.NAT_TYPE_SYMMETRIC, endpoint("192.0.2.1", 1));
    RegisterResponse b = register(stub, phone, NatType.NAT_TYPE_BLOCKED);

    LookupResponse l = lookup("two-dave", "two-carol");
    assertThat(l.getPresence().getDevicesList()).extracting(DevicePresence::getDeviceId)
        .containsExactly("laptop", "phone");
    assertThat(l.getRelayHint().getAdvice()).isEqualTo(RelayAdvice.RELAY_ADVICE_RELAY_RECOMMENDED);

    HeartbeatResponse h = stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(laptop)
        .setLeaseId(a.getLeaseId()).build());
    assertThat(h.getTtl().getSeconds()).isEqualTo(60);
    stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(phone).setLeaseId(b.getLeaseId()).build());
  }

  @Test
  void reRegister_replacesTheLease_andTheOldOneIsNotFound() {
    String token = TestTokens.token("rereg-erin", "phone");
    RegisterResponse first = register(stub, token, NatType.NAT_TYPE_OPEN);
    RegisterResponse second = register(stub, token, NatType.NAT_TYPE_OPEN, endpoint("192.0.2.2", 2));
    assertThat(second.getLeaseId()).isNotEqualTo(first.getLeaseId());
    assertThat(lookup("rereg-x", "rereg-erin").getPresence().getDevicesCount()).isEqualTo(1);

    failsWith(Status.Code.NOT_FOUND, () -> stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token)
        .setLeaseId(first.getLeaseId()).build()));
    stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token).setLeaseId(second.getLeaseId()).build());
  }

  @Test
  void unregister_isIdempotent() {
    String token = TestTokens.token("unreg-fay", "phone");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    UnregisterRequest u = UnregisterRequest.newBuilder().setSessionToken(token).setLeaseId(r.getLeaseId()).build();
    stub.unregister(u);
    stub.unregister(u);
    assertThat(lookup("unreg-x", "unreg-fay").getPresence().getOnline()).isFalse();
    failsWith(Status.Code.NOT_FOUND, () -> stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token)
        .setLeaseId(r.getLeaseId()).build()));
  }

  @Test
  void anotherUsersLease_isPermissionDenied_andStaysUntouched() {
    RegisterResponse victim = register(stub, TestTokens.token("perm-gil", "phone"), NatType.NAT_TYPE_OPEN);
    String attacker = TestTokens.token("perm-mallory", "phone");

    failsWith(Status.Code.PERMISSION_DENIED, () -> stub.heartbeat(HeartbeatRequest.newBuilder()
        .setSessionToken(attacker).setLeaseId(victim.getLeaseId()).build()));
    failsWith(Status.Code.PERMISSION_DENIED, () -> stub.unregister(UnregisterRequest.newBuilder()
        .setSessionToken(attacker).setLeaseId(victim.getLeaseId()).build()));
    // Another device of the same user may not touch it either.
    failsWith(Status.Code.PERMISSION_DENIED, () -> stub.unregister(UnregisterRequest.newBuilder()
        .setSessionToken(TestTokens.token("perm-gil", "laptop")).setLeaseId(victim.getLeaseId()).build()));
    assertThat(lookup("perm-x", "perm-gil").getPresence().getOnline()).isTrue();
  }

  @Test
  void tokenForRelay_expired_forged_orGarbage_isUnauthenticated_andNothingIsWritten() {
    for (String token : List.of(TestTokens.relayOnly("tok-hal", "phone"), TestTokens.expired("tok-hal", "phone"),
        TestTokens.forged("tok-hal", "phone"), "s1.garbage", "not even close")) {
      var e = failsWith(Status.Code.UNAUTHENTICATED, () -> register(stub, token, NatType.NAT_TYPE_OPEN));
      assertThat(reason(e)).isEqualTo("SESSION_INVALID");
      assertThat(e.getStatus().getDescription()).doesNotContain(token);
      failsWith(Status.Code.UNAUTHENTICATED, () -> stub.lookup(LookupRequest.newBuilder().setSessionToken(token)
          .setUserId("tok-hal").build()));
    }
    assertThat(redis.command("EXISTS", "{u:tok-hal}:p").trim()).isEqualTo("0");
  }

  @Test
  void revokedSession_isUnauthenticated_forWritesAndLookups() {
    String token = TestTokens.token("rev-ivan", "phone", "rev-session");
    RegisterResponse r = register(stub, token, NatType.NAT_TYPE_OPEN);
    redis.command("HSET", RevocationRecords.key("rev-ivan"), "rev-session", "9999999999999");

    var e = failsWith(Status.Code.UNAUTHENTICATED, () -> stub.heartbeat(HeartbeatRequest.newBuilder()
        .setSessionToken(token).setLeaseId(r.getLeaseId()).build()));
    assertThat(reason(e)).isEqualTo("SESSION_INVALID");
    failsWith(Status.Code.UNAUTHENTICATED, () -> register(stub, token, NatType.NAT_TYPE_OPEN));
    // Lookup goes through the revocation cache; this session was never looked up, so the verdict is fresh.
    failsWith(Status.Code.UNAUTHENTICATED, () -> stub.lookup(LookupRequest.newBuilder().setSessionToken(token)
        .setUserId("anyone").build()));
  }

  @Test
  void oversizeOrMalformedFields_areInvalidArgument_namingTheField() {
    String token = TestTokens.token("inv-judy", "phone");
    List<Endpoint> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(endpoint("192.0.2." + i, 1000 + i));
    }
    var e = failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.register(RegisterRequest.newBuilder()
        .setSessionToken(token).addAllEndpoints(nine).build()));
    assertThat(e.getStatus().getDescription()).startsWith("endpoints: 9 endpoints");

    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> register(stub, token, NatType.NAT_TYPE_OPEN,
        endpoint("x".repeat(254), 1))).getStatus().getDescription()).startsWith("endpoints[0].host: 254 bytes");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> register(stub, token, NatType.NAT_TYPE_OPEN,
        endpoint("192.0.2.1", 1), endpoint("not a host", 1))).getStatus().getDescription())
        .startsWith("endpoints[1].host");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> register(stub, token, NatType.NAT_TYPE_OPEN,
        endpoint("192.0.2.1", 70000))).getStatus().getDescription()).startsWith("endpoints[0].port: 70000");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.register(RegisterRequest.newBuilder()
        .setSessionToken(token).setNatTypeValue(42).build())).getStatus().getDescription()).startsWith("nat_type: 42");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.register(RegisterRequest.newBuilder().build()))
        .getStatus().getDescription()).startsWith("session_token: 0 bytes");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.register(RegisterRequest.newBuilder()
        .setSessionToken("x".repeat(1025)).build())).getStatus().getDescription()).startsWith("session_token: 1025");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.heartbeat(HeartbeatRequest.newBuilder()
        .setSessionToken(token).setLeaseId("garbage").build())).getStatus().getDescription()).startsWith("lease_id");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.lookup(LookupRequest.newBuilder()
        .setSessionToken(token).setUserId("x".repeat(65)).build())).getStatus().getDescription())
        .startsWith("user_id: 65 bytes");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("w" + i);
    }
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.watch(WatchRequest.newBuilder()
        .setSessionToken(token).addAllUserIds(many).build()).hasNext()).getStatus().getDescription())
        .startsWith("user_ids: 101 users");
    assertThat(failsWith(Status.Code.INVALID_ARGUMENT, () -> stub.watch(WatchRequest.newBuilder()
        .setSessionToken(token).addUserIds("a").addUserIds("a").build()).hasNext()).getStatus().getDescription())
        .startsWith("user_ids[1]: repeats");
    assertThat(redis.command("EXISTS", "{u:inv-judy}:p").trim()).isEqualTo("0");
  }

  @Test
  void garbageBytesOnTheWire_areInvalidArgument_andTheServerKeepsServing() {
    byte[][] garbage = {
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},             // a truncated varint tag
        {0x0a, 0x03, (byte) 0xc3, 0x28, 0x41},                             // session_token with invalid UTF-8
        {0x12, 0x7f, 0x00},                                                // endpoints longer than the message
    };
    for (String method : List.of("Register", "Heartbeat", "Unregister", "Lookup")) {
      for (byte[] bytes : garbage) {
        var e = failsWith(Status.Code.INVALID_ARGUMENT, () -> RawCalls.unary(channel,
            "stampede.directory.v1.DirectoryService/" + method, bytes));
        assertThat(e.getStatus().getDescription()).startsWith("request: not a valid");
      }
    }
    failsWith(Status.Code.INVALID_ARGUMENT, () -> RawCalls.serverStreaming(channel,
        "stampede.directory.v1.DirectoryService/Watch", garbage[1]));
    assertThat(register(stub, TestTokens.token("garb-kim", "phone"), NatType.NAT_TYPE_OPEN).getLeaseId()).isNotEmpty();
  }

  @Test
  void messageAbove64KiB_isRefusedByTheTransport() {
    var e = failsWith(Status.Code.RESOURCE_EXHAUSTED, () -> stub.lookup(LookupRequest.newBuilder()
        .setSessionToken("x".repeat(70_000)).setUserId("a").build()));
    assertThat(e.getStatus().getDescription()).contains("65536");
  }
}
