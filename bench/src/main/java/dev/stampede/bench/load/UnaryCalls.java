package dev.stampede.bench.load;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@link Operation}s made of one async unary gRPC call with a deadline, for any method descriptor — generated
 * stubs' descriptors, or a raw-bytes descriptor ({@link #rawMethod}) when a benchmark does not want the generated
 * classes (request bytes prepared once, response not parsed).
 */
public final class UnaryCalls {
  private UnaryCalls() {
  }

  /**
   * One call of {@code method} on {@code channel} per attempt, with a fresh deadline of {@code deadline}.
   *
   * @param request the request of each attempt (called with the attempt number)
   */
  public static <ReqT, RespT> Operation unary(Channel channel, MethodDescriptor<ReqT, RespT> method,
      IntFunction<ReqT> request, Duration deadline) {
    long deadlineNanos = deadline.toNanos();
    return attempt -> {
      CompletableFuture<RespT> result = new CompletableFuture<>();
      ClientCalls.asyncUnaryCall(
          channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)),
          request.apply(attempt),
          new StreamObserver<RespT>() {
            @Override
            public void onNext(RespT value) {
              result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              result.complete(null);
            }
          });
      return result;
    };
  }

  /** A unary method descriptor that sends and receives raw bytes (a pre-encoded protobuf message). */
  public static MethodDescriptor<byte[], byte[]> rawMethod(String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** Raw bytes on the wire. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
