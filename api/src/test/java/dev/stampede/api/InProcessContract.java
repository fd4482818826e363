package dev.stampede.api;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process server and channel for one contract test, plus the overload answer the error model prescribes
 * (RetryInfo in the status details and the same delay in {@code grpc-retry-pushback-ms}).
 */
final class InProcessContract implements AutoCloseable {
  static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  final Server server;
  final ManagedChannel channel;

  InProcessContract(BindableService service) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** The overload answer of DESIGN §3, as a server would send it. */
  static StatusRuntimeException overloaded(long delayMillis, String reason) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage("server overloaded, retry later")
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder()
                .setSeconds(delayMillis / 1000)
                .setNanos((int) (delayMillis % 1000) * 1_000_000))
            .build()))
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("stampede.dev").setReason(reason).build()))
        .build();
    Metadata trailers = new Metadata();
    trailers.put(PUSHBACK, Long.toString(delayMillis));
    return StatusProto.toStatusRuntimeException(status, trailers);
  }

  /** Reads the RetryInfo delay back from a status the client received, in milliseconds. */
  static long retryDelayMillis(StatusRuntimeException e) throws Exception {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
      }
    }
    throw new AssertionError("no RetryInfo in " + status);
  }

  static String errorReason(StatusRuntimeException e) throws Exception {
    for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class).getReason();
      }
    }
    throw new AssertionError("no ErrorInfo in " + e.getStatus());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
