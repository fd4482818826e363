package dev.stampede.directory.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a service answer a request that does not parse (garbage bytes, invalid UTF-8 in a string field) with
 * {@code INVALID_ARGUMENT}, as errors.proto promises, instead of grpc-java's {@code UNKNOWN} ("Application error
 * processing RPC"), which is what a marshaller that throws leads to.
 *
 * <p>How: each method's request marshaller only copies the raw bytes (at most the transport's 64 KiB limit), and
 * the handler parses them with the original marshaller, closing the call itself when that fails. The schema descriptor
 * is kept, so reflection still describes the service. Interceptors added around the result see raw bytes as
 * request messages; admission never parses them.
 */
final class StrictRequestParsing {
  /**
   * Copies the request's bytes out of the transport's buffer at once: interceptors may deliver the message to the
   * handler later, on another context, when the transport's stream is closed (the transport bounds the size).
   */
  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
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

  private StrictRequestParsing() {
  }

  static ServerServiceDefinition apply(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<byte[], ?>> methods = new ArrayList<>();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<byte[], ?> strict = strict(method);
      methods.add(strict);
      descriptor.addMethod(strict.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder result = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(result::addMethod);
    return result.build();
  }

  private static <Q, R> ServerMethodDefinition<byte[], R> strict(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
    MethodDescriptor<byte[], R> raw = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(raw, (call, headers) -> start(typed, handler, call, headers));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <Q, R> ServerCall.Listener<byte[]> start(MethodDescriptor<Q, R> typed,
      ServerCallHandler<Q, R> handler, ServerCall<byte[], R> call, Metadata headers) {
    // Only getMethodDescriptor mentions the request type; everything else forwards unchanged.
    ServerCall<Q, R> typedCall = new ForwardingServerCall.SimpleForwardingServerCall<Q, R>((ServerCall) call) {
      @Override
      public MethodDescriptor<Q, R> getMethodDescriptor() {
        return typed;
      }
    };
    ServerCall.Listener<Q> delegate = handler.startCall(typedCall, headers);
    return new ServerCall.Listener<>() {
      private boolean refused;

      @Override
      public void onMessage(byte[] message) {
        if (refused) {
          return;
        }
        Q request;
        try {
          request = typed.parseRequest(new ByteArrayInputStream(message));
        } catch (RuntimeException e) {
          refused = true;
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          call.close(Status.INVALID_ARGUMENT.withDescription("request: not a valid "
              + typed.getFullMethodName().replace('/', '.') + " request (" + cause.getMessage() + ")"),
              new Metadata());
          return;
        }
        delegate.onMessage(request);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          delegate.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        delegate.onCancel();
      }

      @Override
      public void onComplete() {
        delegate.onComplete();
      }

      @Override
      public void onReady() {
        if (!refused) {
          delegate.onReady();
        }
      }
    };
  }
}
