package dev.stampede.bench.auth;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The few {@code stampede.auth.v1} messages the auth benchmarks send and read, encoded by hand with protobuf's
 * coded streams (field numbers from {@code auth.proto}): the benchmarks talk to the service over the wire contract
 * only, with request bytes built once where possible and responses read just enough to take the next ticket.
 */
final class AuthWire {
  static final String SERVICE = "stampede.auth.v1.AuthService";
  static final String LOGIN = SERVICE + "/Login";
  static final String RESUME = SERVICE + "/Resume";
  static final String SEED = SERVICE + "/SeedAccounts";

  private AuthWire() {
  }

  /** {@code LoginRequest{username=1, password=2, device_id=3}}. */
  static byte[] login(String username, String password, String deviceId) {
    return encode(out -> {
      out.writeString(1, username);
      out.writeString(2, password);
      out.writeString(3, deviceId);
    });
  }

  /** {@code ResumeRequest{resume_ticket=1, device_id=2}}. */
  static byte[] resume(String ticket, String deviceId) {
    return encode(out -> {
      out.writeString(1, ticket);
      out.writeString(2, deviceId);
    });
  }

  /** {@code SeedAccountsRequest{username_prefix=1, first_index=2, count=3, password=4}}. */
  static byte[] seed(String prefix, int firstIndex, int count, String password) {
    return encode(out -> {
      out.writeString(1, prefix);
      out.writeUInt32(2, firstIndex);
      out.writeUInt32(3, count);
      out.writeString(4, password);
    });
  }

  /**
   * The resume ticket in a {@code LoginResponse} or {@code ResumeResponse} (both: {@code grant=1} holding a
   * {@code SessionGrant} whose {@code resume_ticket=4}).
   *
   * @throws IllegalArgumentException if there is none
   */
  static String ticket(byte[] response) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(response);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == 2) {
          CodedInputStream grant = CodedInputStream.newInstance(in.readByteArray());
          for (int t = grant.readTag(); t != 0; t = grant.readTag()) {
            if (WireFormat.getTagFieldNumber(t) == 4 && WireFormat.getTagWireType(t) == 2) {
              return grant.readStringRequireUtf8();
            }
            grant.skipField(t);
          }
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a grant: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("the response carries no resume ticket");
  }

  /** {@code SeedAccountsResponse{created=1, existing=2}}: created + existing. */
  static long seeded(byte[] response) {
    long n = 0;
    try {
      CodedInputStream in = CodedInputStream.newInstance(response);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        if ((field == 1 || field == 2) && WireFormat.getTagWireType(tag) == 0) {
          n += in.readUInt32();
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a SeedAccountsResponse: " + e.getMessage(), e);
    }
    return n;
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
