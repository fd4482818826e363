package dev.stampede.relay.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.io.InputStream;

/**
 * A request marshaller that turns bytes which are not a valid message into a marker instance ({@link #isMalformed})
 * instead of an exception. grpc-java would otherwise end the call with {@code UNKNOWN: Application error processing
 * RPC}; with the marker the service answers {@code INVALID_ARGUMENT} naming what was wrong. Parsing itself is
 * grpc-java's (with its zero-copy paths). Thread-safe.
 *
 * @param <T> the request type
 */
final class LenientMarshaller<T extends Message> implements MethodDescriptor.Marshaller<T> {
  private final MethodDescriptor.Marshaller<T> delegate;
  private final T malformed;

  @SuppressWarnings("unchecked")
  LenientMarshaller(T defaultInstance) {
    this.delegate = ProtoUtils.marshaller(defaultInstance);
    // A distinct instance, compared by identity: no parsed message is ever this object.
    this.malformed = (T) defaultInstance.newBuilderForType()
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(536_870_911, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build())
        .build();
  }

  @Override
  public InputStream stream(T value) {
    return delegate.stream(value);
  }

  @Override
  public T parse(InputStream stream) {
    try {
      return delegate.parse(stream);
    } catch (StatusRuntimeException e) {
      return malformed;
    }
  }

  /** Whether {@code message} stands for bytes that did not parse. */
  boolean isMalformed(Object message) {
    return message == malformed;
  }
}
