package dev.stampede.bench.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prepared directory requests carry the fields of directory.proto under their numbers. */
class DirectoryRequestsTest {
  /** "number=value" per field in order; length-delimited fields as text, or decoded when {@code nested}. */
  private static List<String> fields(byte[] message) throws Exception {
    return fields(message, -1);
  }

  private static List<String> fields(byte[] message, int nested) throws Exception {
    List<String> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(message);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = tag >>> 3;
      if ((tag & 7) == 2) {
        byte[] bytes = in.readByteArray();
        out.add(field + "=" + (field == nested ? fields(bytes)
            : new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
      } else {
        out.add(field + "=" + in.readRawVarint64());
      }
    }
    return out;
  }

  @Test
  void heartbeatAndLookup_areTokenThenId() throws Exception {
    assertThat(fields(DirectoryRequests.heartbeat("tok", "lease"))).containsExactly("1=tok", "2=lease");
    assertThat(fields(DirectoryRequests.lookup("tok", "u1"))).containsExactly("1=tok", "2=u1");
  }

  @Test
  void register_carriesTokenTwoEndpointsAndNat() throws Exception {
    byte[] r = DirectoryRequests.register("t".repeat(200), "192.168.0.1", 50000, "203.0.0.1", 60000,
        DirectoryRequests.PORT_RESTRICTED_CONE);
    assertThat(fields(r, 2)).containsExactly("1=" + "t".repeat(200), "2=[1=192.168.0.1, 2=50000, 3=1]",
        "2=[1=203.0.0.1, 2=60000, 3=2]", "3=4");
  }

  @Test
  void leaseId_isReadFromField1_skippingOthers() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt32(9, 7);
    out.writeString(1, "AQIDBAUGBwgJCgsMDQ4P");
    out.flush();
    assertThat(DirectoryRequests.leaseId(bytes.toByteArray())).isEqualTo("AQIDBAUGBwgJCgsMDQ4P");
    assertThatThrownBy(() -> DirectoryRequests.leaseId(new byte[0])).isInstanceOf(IllegalStateException.class);
  }
}
