package dev.stampede.directory.it;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/** Calls with raw bytes as the request message: what a broken or hostile client sends. */
final class RawCalls {
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

  private RawCalls() {
  }

  static byte[] unary(Channel channel, String method, byte[] request) {
    return ClientCalls.blockingUnaryCall(channel, descriptor(method, MethodDescriptor.MethodType.UNARY),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  static void serverStreaming(Channel channel, String method, byte[] request) {
    Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel,
        descriptor(method, MethodDescriptor.MethodType.SERVER_STREAMING),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    while (it.hasNext()) {
      it.next();
    }
  }

  static MethodDescriptor<byte[], byte[]> descriptor(String method, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(method)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }
}
