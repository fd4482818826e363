package dev.stampede.bench.directory;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The few {@code stampede.directory.v1} messages the benchmarks send, encoded once with protobuf's wire format
 * (field numbers from {@code directory.proto}), so that the load generator sends prepared bytes and measures the
 * server, not the client's message building. Stateless.
 */
final class DirectoryRequests {
  /** {@code EndpointKind.ENDPOINT_KIND_HOST}, {@code ENDPOINT_KIND_SERVER_REFLEXIVE}. */
  static final int HOST = 1;
  static final int SERVER_REFLEXIVE = 2;
  /** {@code NatType.NAT_TYPE_PORT_RESTRICTED_CONE}. */
  static final int PORT_RESTRICTED_CONE = 4;

  private DirectoryRequests() {
  }

  /** {@code RegisterRequest{session_token, endpoints: [host a, server-reflexive b], nat_type}}. */
  static byte[] register(String token, String hostA, int portA, String hostB, int portB, int natType) {
    return encode(out -> {
      out.writeString(1, token);
      out.writeByteArray(2, endpoint(hostA, portA, HOST));
      out.writeByteArray(2, endpoint(hostB, portB, SERVER_REFLEXIVE));
      out.writeEnum(3, natType);
    });
  }

  /** {@code HeartbeatRequest{session_token, lease_id}}. */
  static byte[] heartbeat(String token, String leaseId) {
    return encode(out -> {
      out.writeString(1, token);
      out.writeString(2, leaseId);
    });
  }

  /** {@code LookupRequest{session_token, user_id}}. */
  static byte[] lookup(String token, String userId) {
    return encode(out -> {
      out.writeString(1, token);
      out.writeString(2, userId);
    });
  }

  /** The {@code lease_id} (field 1) of a {@code RegisterResponse}. */
  static String leaseId(byte[] registerResponse) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(registerResponse);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == (1 << 3 | 2)) {
          return in.readString();
        }
        in.skipField(tag);
      }
      throw new IllegalStateException("RegisterResponse without a lease_id");
    } catch (IOException e) {
      throw new UncheckedIOException("RegisterResponse does not parse", e);
    }
  }

  private static byte[] endpoint(String host, int port, int kind) {
    return encode(out -> {
      out.writeString(1, host);
      out.writeUInt32(2, port);
      out.writeEnum(3, kind);
    });
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
