package dev.stampede.relay.it;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.api.relay.v1.AllocateRequest;
import dev.stampede.api.relay.v1.AllocateResponse;
import dev.stampede.api.relay.v1.RelayServiceGrpc;
import dev.stampede.api.relay.v1.ReleaseRequest;
import dev.stampede.relay.grpc.Statuses;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Test-side users: session tokens from a random relay key ring, channels to relay pods, status inspection. */
final class Clients implements AutoCloseable {
  /** A fresh random key of audience relay, as local runs generate; pods under test get the same. */
  final String keySpec = KeyRing.randomSpec("k1", new SecureRandom());
  final KeyRing ring = KeyRing.parse("relay", keySpec);
  private final SessionTokenMinter minter = SessionTokenMinter.of(List.of(ring));
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** A valid relay session token of {@code userId}. */
  String token(String userId) {
    return token(userId, UUID.randomUUID().toString().replace("-", ""));
  }

  String token(String userId, String sessionId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return minter.mint(new SessionClaims(userId, "device-1", sessionId, now, now.plusSeconds(600)));
  }

  ManagedChannel channel(String address) {
    return channel(address, 1024 * 1024);
  }

  /** A channel whose per-stream receive window is {@code window} bytes. */
  ManagedChannel channel(String address, int window) {
    ManagedChannel c = NettyChannelBuilder.forTarget(address).usePlaintext().flowControlWindow(window).build();
    channels.add(c);
    return c;
  }

  AllocateResponse allocate(ManagedChannel channel, String user, String peer) {
    return RelayServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .allocate(AllocateRequest.newBuilder().setSessionToken(token(user)).setPeerUserId(peer).build());
  }

  void release(ManagedChannel channel, String user, String allocationId) {
    RelayServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .release(ReleaseRequest.newBuilder().setSessionToken(token(user)).setAllocationId(allocationId).build());
  }

  static long retryDelayMillis(Throwable e) throws Exception {
    for (Any d : StatusProto.fromThrowable(e).getDetailsList()) {
      if (d.is(RetryInfo.class)) {
        com.google.protobuf.Duration delay = d.unpack(RetryInfo.class).getRetryDelay();
        return delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000;
      }
    }
    throw new AssertionError("no RetryInfo in " + e);
  }

  static String pushback(Throwable e) {
    return ((StatusRuntimeException) e).getTrailers().get(Statuses.PUSHBACK);
  }

  static ErrorInfo errorInfo(Throwable e) throws Exception {
    for (Any d : StatusProto.fromThrowable(e).getDetailsList()) {
      if (d.is(ErrorInfo.class)) {
        return d.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + e);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
