package dev.stampede.admission.grpc;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real loopback gRPC server (Netty) with raw-bytes methods whose request marshaller counts how many messages
 * the server parsed, for the interceptor tests.
 */
final class TestService implements AutoCloseable {
  /** A byte[] marshaller that counts parses. */
  static final class CountingMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    final AtomicInteger parsed = new AtomicInteger();

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      parsed.incrementAndGet();
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final CountingMarshaller CLIENT = new CountingMarshaller();

  final CountingMarshaller requests = new CountingMarshaller();
  final CountingMarshaller responses = new CountingMarshaller();
  final AtomicInteger unaryRuns = new AtomicInteger();
  /** Per unary run, in order: how long admission says the call waited ({@link AdmissionContext#queuedNanos()}). */
  final java.util.List<Long> queuedNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Unary calls block until the test counts this down. */
  volatile CountDownLatch gate = new CountDownLatch(0);
  /** Unary calls sleep this long (to teach admission a service time). */
  volatile long sleepMillis;

  final MethodDescriptor<byte[], byte[]> unary = method("Unary", MethodDescriptor.MethodType.UNARY, requests);
  final MethodDescriptor<byte[], byte[]> critical = method("Critical", MethodDescriptor.MethodType.UNARY, requests);
  /** A method whose latency does not feed the limit (like a password log-in on its own worker pool). */
  final MethodDescriptor<byte[], byte[]> pooled = method("Pooled", MethodDescriptor.MethodType.UNARY, requests);
  final MethodDescriptor<byte[], byte[]> stream = method("Stream", MethodDescriptor.MethodType.BIDI_STREAMING,
      requests);

  private final Server server;

  TestService(dev.stampede.admission.Admission admission) throws IOException {
    this(admission.interceptor());
  }

  TestService(io.grpc.ServerInterceptor interceptor) throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Work")
        .addMethod(unary, ServerCalls.asyncUnaryCall(this::work))
        .addMethod(critical, ServerCalls.asyncUnaryCall(this::work))
        .addMethod(pooled, ServerCalls.asyncUnaryCall(this::work))
        .addMethod(stream, ServerCalls.asyncBidiStreamingCall(this::echo))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, interceptor))
        .build()
        .start();
  }

  MethodDescriptor<byte[], byte[]> clientView(MethodDescriptor<byte[], byte[]> m) {
    return m.toBuilder(CLIENT, CLIENT).build();
  }

  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  private void work(byte[] request, StreamObserver<byte[]> response) {
    AdmissionContext admitted = AdmissionContext.current();
    queuedNanos.add(admitted == null ? -1 : admitted.queuedNanos());
    unaryRuns.incrementAndGet();
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    response.onNext(request);
    response.onCompleted();
  }

  private StreamObserver<byte[]> echo(StreamObserver<byte[]> response) {
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        response.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    };
  }

  private MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type,
      CountingMarshaller requestMarshaller) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Work", name))
        .setRequestMarshaller(requestMarshaller)
        .setResponseMarshaller(responses)
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    gate.countDown();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
