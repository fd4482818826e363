package dev.stampede.auth.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.stampede.auth.domain.InvalidInputException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.io.InputStream;

/**
 * Makes a request that is not a valid protobuf message (garbage bytes, invalid UTF-8 in a string field) an
 * {@code INVALID_ARGUMENT} naming the request, as the error model requires, instead of grpc-java's
 * {@code UNKNOWN} "Application error processing RPC".
 *
 * <p>grpc-java turns every exception a request marshaller throws into {@code UNKNOWN}, so the marshaller cannot
 * choose the status by throwing. Instead, {@link #tolerant} wraps each method's request marshaller: when parsing
 * fails it returns the message type's default instance marked with an unknown field that no real message carries
 * (field number 536870911, the largest there is), and the service refuses marked requests with
 * {@link #reject}.
 */
final class MalformedRequests {
  /** The largest legal field number; no Stampede message will ever define it. */
  static final int MARK_FIELD = 536_870_911;
  private static final UnknownFieldSet MARK = UnknownFieldSet.newBuilder()
      .addField(MARK_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
      .build();

  private MalformedRequests() {
  }

  /** The same service with request marshallers that mark unparseable requests instead of throwing. */
  static ServerServiceDefinition tolerant(ServerServiceDefinition definition) {
    ServiceDescriptor original = definition.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    ServerServiceDefinition.Builder rebuilt = null;
    java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
      ServerMethodDefinition<?, ?> tolerantMethod = tolerant(method);
      descriptor.addMethod(tolerantMethod.getMethodDescriptor());
      methods.add(tolerantMethod);
    }
    rebuilt = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> method : methods) {
      rebuilt.addMethod(method);
    }
    return rebuilt.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> tolerant(ServerMethodDefinition<ReqT, RespT> m) {
    MethodDescriptor<ReqT, RespT> md = m.getMethodDescriptor();
    if (!(md.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller)) {
      return m;
    }
    MethodDescriptor.PrototypeMarshaller<ReqT> inner =
        (MethodDescriptor.PrototypeMarshaller<ReqT>) md.getRequestMarshaller();
    if (!(inner.getMessagePrototype() instanceof Message)) {
      return m;
    }
    return ServerMethodDefinition.create(md.toBuilder(new Tolerant<>(inner), md.getResponseMarshaller()).build(),
        m.getServerCallHandler());
  }

  /**
   * Refuses a request that did not parse.
   *
   * @throws InvalidInputException {@code "request: not a valid <type> (malformed protobuf or invalid UTF-8)"}
   */
  static void reject(Message request) {
    if (request.getUnknownFields().hasField(MARK_FIELD)) {
      throw new InvalidInputException("request: not a valid " + request.getDescriptorForType().getFullName()
          + " (expected: a well-formed protobuf message with valid UTF-8 strings)");
    }
  }

  private static final class Tolerant<T> implements MethodDescriptor.PrototypeMarshaller<T> {
    private final MethodDescriptor.PrototypeMarshaller<T> inner;

    Tolerant(MethodDescriptor.PrototypeMarshaller<T> inner) {
      this.inner = inner;
    }

    @Override
    public InputStream stream(T value) {
      return inner.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T parse(InputStream stream) {
      try {
        return inner.parse(stream);
      } catch (RuntimeException e) {
        return (T) ((Message) inner.getMessagePrototype()).toBuilder().setUnknownFields(MARK).build();
      }
    }

    @Override
    public T getMessagePrototype() {
      return inner.getMessagePrototype();
    }

    @Override
    public Class<T> getMessageClass() {
      return inner.getMessageClass();
    }
  }
}
