package dev.stampede.auth.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A real loopback gRPC client of the service under test, plus readers of the error model's details. */
final class AuthClient implements AutoCloseable {
  static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final ManagedChannel channel;

  AuthClient() {
    int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  AuthServiceGrpc.AuthServiceBlockingStub stub() {
    return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  AuthServiceGrpc.AuthServiceBlockingStub admin(String credential) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + credential);
    return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Sends raw bytes as the request of {@code method}, the way a broken or hostile client could. */
  byte[] raw(MethodDescriptor<?, ?> method, byte[] request) {
    MethodDescriptor<byte[], byte[]> rawMethod = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    return ClientCalls.blockingUnaryCall(channel, rawMethod, CallOptions.DEFAULT.withDeadlineAfter(10,
        TimeUnit.SECONDS), request);
  }

  static String reason(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
    return null;
  }

  /** The RetryInfo delay in ms, or -1. */
  static long retryDelayMillis(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return -1;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
    return -1;
  }

  static String pushback(StatusRuntimeException e) {
    return e.getTrailers() == null ? null : e.getTrailers().get(PUSHBACK);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
