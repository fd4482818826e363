package dev.stampede.relay.ops;

import dev.stampede.api.relay.v1.RelayServiceGrpc;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Asks this pod's own gRPC server, over loopback, whether the relay service is serving. The separate gRPC server
 * logs an error and lets the app report "started" when its port is taken or a service bean failed (DESIGN §9);
 * this probe is what readiness trusts instead. The answer must carry this process's nonce ({@link ProbeEcho}),
 * so another process on the same port does not count. Thread-safe.
 */
final class GrpcSelfProbe implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GrpcSelfProbe.class);

  private final ManagedChannel channel;
  private final String nonce;
  private volatile boolean serving;
  private volatile String lastProblem = "not probed yet";

  GrpcSelfProbe(int port, String nonce) {
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    this.nonce = nonce;
  }

  /** Probes once (≤ 2 s); returns and remembers whether the relay service answered SERVING from this process. */
  boolean probe() {
    Metadata headers = new Metadata();
    headers.put(ProbeEcho.PROBE, "1");
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    try {
      ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
              MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(RelayServiceGrpc.SERVICE_NAME).build())
          .getStatus();
      Metadata h = responseHeaders.get();
      String instance = h == null ? null : h.get(ProbeEcho.INSTANCE);
      if (!nonce.equals(instance)) {
        return fail("the gRPC port is answered by another process");
      }
      if (status != ServingStatus.SERVING) {
        return fail("relay service is " + status);
      }
      serving = true;
      lastProblem = null;
      return true;
    } catch (RuntimeException e) {
      return fail(e.getMessage());
    }
  }

  private boolean fail(String problem) {
    if (serving) {
      LOG.warnf("gRPC self-probe failed: %s", problem);
    } else {
      LOG.debugf("gRPC self-probe failed: %s", problem);
    }
    serving = false;
    lastProblem = problem;
    return false;
  }

  boolean isServing() {
    return serving;
  }

  String lastProblem() {
    return lastProblem;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
