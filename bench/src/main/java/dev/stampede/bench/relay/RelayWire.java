package dev.stampede.bench.relay;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.stampede.bench.load.UnaryCalls;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The few {@code stampede.relay.v1} messages the benchmark needs, encoded by hand on raw-bytes methods: requests
 * are prepared once, responses are not parsed beyond their first tag, so the load generator's CPU (on the same box
 * as the relay) goes into moving bytes, not into protobuf. Field numbers are those of {@code relay.proto}.
 */
final class RelayWire {
  static final MethodDescriptor<byte[], byte[]> ALLOCATE =
      UnaryCalls.rawMethod("stampede.relay.v1.RelayService/Allocate");
  static final MethodDescriptor<byte[], byte[]> CONNECT = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("stampede.relay.v1.RelayService/Connect")
      .setRequestMarshaller(UnaryCalls.BYTES)
      .setResponseMarshaller(UnaryCalls.BYTES)
      .build();

  /** {@code ConnectResponse} field numbers (the {@code kind} oneof). */
  static final int JOINED = 1;
  static final int FRAME = 2;
  static final int PEER = 3;
  static final int DRAINING = 4;

  private RelayWire() {
  }

  /** {@code AllocateRequest{session_token = 1, peer_user_id = 2}}. */
  static byte[] allocateRequest(String sessionToken, String peerUserId) {
    return message(out -> {
      out.writeString(1, sessionToken);
      out.writeString(2, peerUserId);
    });
  }

  /** The parts of an {@code AllocateResponse} a client needs. */
  record Allocation(String allocationId, String relayAddress, String joinToken) {
    @Override
    public String toString() {
      return "Allocation[" + allocationId + " on " + relayAddress + "]";
    }
  }

  static Allocation parseAllocateResponse(byte[] bytes) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      String id = "";
      String address = "";
      String token = "";
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> id = in.readString();
          case 2 -> address = in.readString();
          case 3 -> token = in.readString();
          default -> in.skipField(tag);
        }
      }
      return new Allocation(id, address, token);
    } catch (IOException e) {
      throw new IllegalStateException("not an AllocateResponse: " + e.getMessage(), e);
    }
  }

  /** {@code ConnectRequest{join = 1 {allocation_id = 1, session_token = 2, join_token = 3}}}. */
  static byte[] join(String allocationId, String sessionToken, String joinToken) {
    byte[] join = message(out -> {
      out.writeString(1, allocationId);
      out.writeString(2, sessionToken);
      if (!joinToken.isEmpty()) {
        out.writeString(3, joinToken);
      }
    });
    return message(out -> out.writeByteArray(1, join));
  }

  /** {@code ConnectRequest{frame = 2 {data = 1}}} with {@code size} bytes of payload. */
  static byte[] frame(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31);
    }
    byte[] frame = message(out -> out.writeByteArray(1, data));
    return message(out -> out.writeByteArray(2, frame));
  }

  /** The {@code kind} of a {@code ConnectResponse}: {@link #JOINED}, {@link #FRAME}, {@link #PEER}, ... */
  static int kind(byte[] response) {
    if (response.length == 0) {
      return 0;
    }
    try {
      return WireFormat.getTagFieldNumber(CodedInputStream.newInstance(response).readTag());
    } catch (IOException e) {
      return 0;
    }
  }

  /** Writes one message's fields. */
  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Fields fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      fields.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
