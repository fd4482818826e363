package dev.stampede.directory.it;

import static dev.stampede.directory.it.Calls.assertPushback;
import static dev.stampede.directory.it.Calls.failsWith;
import static dev.stampede.directory.it.Calls.reason;
import static dev.stampede.directory.it.Calls.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.LookupRequest;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.localstack.RedisServer;
import dev.stampede.testing.InjectRedis;
import dev.stampede.testing.RedisTestResource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Redis killed under a running directory: calls fail fast with UNAVAILABLE + pushback, readiness goes down, watches
 * end so that clients re-subscribe, and everything works again once Redis is back — without restarting the service.
 * With AOF on, leases written before the kill are still there.
 */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, initArgs = @ResourceArg(name = "appendOnly", value = "true"))
@WithTestResource(DirectoryTestResource.class)
class RedisOutageIT {
  @InjectRedis
  RedisServer redis;

  @Test
  void redisDown_unavailableWithPushback_notReady_watchesEnd_thenRecovers() throws Exception {
    ManagedChannel channel = Calls.channel(DirectoryTestResource.grpcPort);
    try {
      DirectoryServiceGrpc.DirectoryServiceBlockingStub stub = Calls.stub(channel);
      String token = TestTokens.token("out-alice", "phone");
      RegisterResponse lease = register(stub, token, NatType.NAT_TYPE_OPEN);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/ready") == 200);
      WatchRecorder watch = new WatchRecorder();
      DirectoryServiceGrpc.newStub(channel).watch(WatchRequest.newBuilder()
          .setSessionToken(TestTokens.token("out-bob", "w")).addUserIds("out-alice").build(), watch);
      watch.next(10);
      Thread.sleep(1100); // let AOF (everysec) write the lease

      redis.kill();

      assertThat(watch.end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      var e = failsWith(Status.Code.UNAVAILABLE, () -> stub.heartbeat(HeartbeatRequest.newBuilder()
          .setSessionToken(token).setLeaseId(lease.getLeaseId()).build()));
      assertThat(reason(e)).isEqualTo("DEPENDENCY_UNAVAILABLE");
      assertThat(assertPushback(e)).isPositive();
      assertPushback(failsWith(Status.Code.UNAVAILABLE, () -> register(stub, token, NatType.NAT_TYPE_OPEN)));
      assertPushback(failsWith(Status.Code.UNAVAILABLE, () -> stub.lookup(LookupRequest.newBuilder()
          .setSessionToken(TestTokens.token("out-carol", "d")).setUserId("out-alice").build())));
      WatchRecorder refused = new WatchRecorder();
      DirectoryServiceGrpc.newStub(channel).watch(WatchRequest.newBuilder()
          .setSessionToken(TestTokens.token("out-dave", "w")).addUserIds("out-alice").build(), refused);
      assertThat(refused.end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/ready") == 503);
      assertThat(Calls.http(DirectoryTestResource.httpPort, "/q/health/ready").body()).contains("directory-redis");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> grpc.health.v1.HealthGrpc.newBlockingStub(channel)
          .check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.newBuilder()
              .setService("stampede.directory.v1.DirectoryService").build()).getStatus()
          == grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.NOT_SERVING);
      assertThat(Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/live")).isEqualTo(200);

      redis.restart();

      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> Calls.httpStatus(DirectoryTestResource.httpPort, "/q/health/ready") == 200);
      stub.heartbeat(HeartbeatRequest.newBuilder().setSessionToken(token).setLeaseId(lease.getLeaseId()).build());
      WatchRecorder again = new WatchRecorder();
      DirectoryServiceGrpc.newStub(channel).watch(WatchRequest.newBuilder()
          .setSessionToken(TestTokens.token("out-bob", "w")).addUserIds("out-alice").build(), again);
      assertThat(again.next(10).getPresence().getOnline()).isTrue();
    } finally {
      channel.shutdownNow();
    }
  }
}
