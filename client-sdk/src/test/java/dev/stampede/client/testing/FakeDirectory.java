package dev.stampede.client.testing;

import com.google.protobuf.Duration;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import dev.stampede.api.directory.v1.UnregisterRequest;
import dev.stampede.api.directory.v1.UnregisterResponse;
import dev.stampede.client.time.FakeClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A directory with leases that expire on the fake clock and tokens checked against a {@link FakeAuth}. */
public final class FakeDirectory extends DirectoryServiceGrpc.DirectoryServiceImplBase {
  private final FakeClock clock;
  private final Predicate<String> tokenValid;
  private final Map<String, Long> leases = new ConcurrentHashMap<>();
  private final AtomicInteger serial = new AtomicInteger();
  public final Recorder<RegisterRequest> registers;
  public final Recorder<HeartbeatRequest> heartbeats;
  public final Recorder<UnregisterRequest> unregisters;
  public volatile Fault registerFault = Fault.NONE;
  public volatile Fault heartbeatFault = Fault.NONE;
  public volatile java.time.Duration ttl = java.time.Duration.ofSeconds(30);

  public FakeDirectory(FakeClock clock, Predicate<String> tokenValid) {
    this.clock = clock;
    this.tokenValid = tokenValid;
    this.registers = new Recorder<>(clock);
    this.heartbeats = new Recorder<>(clock);
    this.unregisters = new Recorder<>(clock);
  }

  /** Drops every lease (as if they had expired). */
  public void expireAllLeases() {
    leases.clear();
  }

  public int liveLeases() {
    long now = clock.nanoTime();
    return (int) leases.values().stream().filter(expiry -> expiry > now).count();
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
    int n = registers.record(request);
    StatusRuntimeException fault = registerFault.failure(n);
    if (fault != null) {
      response.onError(fault);
      return;
    }
    if (!tokenValid.test(request.getSessionToken())) {
      response.onError(Status.UNAUTHENTICATED.withDescription("SESSION_INVALID").asRuntimeException());
      return;
    }
    String lease = "lease-" + serial.incrementAndGet();
    leases.put(lease, clock.nanoTime() + ttl.toNanos());
    response.onNext(RegisterResponse.newBuilder().setLeaseId(lease).setTtl(duration()).build());
    response.onCompleted();
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
    int n = heartbeats.record(request);
    StatusRuntimeException fault = heartbeatFault.failure(n);
    if (fault != null) {
      response.onError(fault);
      return;
    }
    if (!tokenValid.test(request.getSessionToken())) {
      response.onError(Status.UNAUTHENTICATED.withDescription("SESSION_INVALID").asRuntimeException());
      return;
    }
    Long expiry = leases.get(request.getLeaseId());
    if (expiry == null || expiry <= clock.nanoTime()) {
      leases.remove(request.getLeaseId());
      response.onError(Status.NOT_FOUND.withDescription("lease expired").asRuntimeException());
      return;
    }
    leases.put(request.getLeaseId(), clock.nanoTime() + ttl.toNanos());
    response.onNext(HeartbeatResponse.newBuilder().setTtl(duration()).build());
    response.onCompleted();
  }

  @Override
  public void unregister(UnregisterRequest request, StreamObserver<UnregisterResponse> response) {
    unregisters.record(request);
    leases.remove(request.getLeaseId());
    response.onNext(UnregisterResponse.getDefaultInstance());
    response.onCompleted();
  }

  private Duration duration() {
    return Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()).build();
  }
}
