package dev.stampede.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;

class RelayWireTest {
  @Test
  void allocateResponse_isParsedSkippingUnknownFields() {
    byte[] response = RelayWire.message(out -> {
      out.writeString(1, "alloc-1");
      out.writeString(2, "127.0.0.1:9000");
      out.writeString(3, "join-token");
      out.writeUInt64(4, 12345); // a field the benchmark ignores
    });
    RelayWire.Allocation a = RelayWire.parseAllocateResponse(response);
    assertThat(a.allocationId()).isEqualTo("alloc-1");
    assertThat(a.relayAddress()).isEqualTo("127.0.0.1:9000");
    assertThat(a.joinToken()).isEqualTo("join-token");
  }

  @Test
  void frame_isAConnectRequestWithTheWholePayload() throws Exception {
    byte[] frame = RelayWire.frame(32 * 1024);
    CodedInputStream in = CodedInputStream.newInstance(frame);
    assertThat(WireFormat.getTagFieldNumber(in.readTag())).isEqualTo(2);
    CodedInputStream inner = CodedInputStream.newInstance(in.readByteArray());
    assertThat(WireFormat.getTagFieldNumber(inner.readTag())).isEqualTo(1);
    assertThat(inner.readByteArray()).hasSize(32 * 1024);
    assertThat(RelayWire.kind(frame)).isEqualTo(RelayWire.FRAME);
  }

  @Test
  void join_carriesItsFields_andOmitsAnEmptyJoinToken() throws Exception {
    byte[] join = RelayWire.join("a", "t", "");
    CodedInputStream in = CodedInputStream.newInstance(join);
    assertThat(WireFormat.getTagFieldNumber(in.readTag())).isEqualTo(1);
    CodedInputStream inner = CodedInputStream.newInstance(in.readByteArray());
    assertThat(WireFormat.getTagFieldNumber(inner.readTag())).isEqualTo(1);
    assertThat(inner.readString()).isEqualTo("a");
    assertThat(WireFormat.getTagFieldNumber(inner.readTag())).isEqualTo(2);
    assertThat(inner.readString()).isEqualTo("t");
    assertThat(inner.readTag()).isZero();
    assertThat(RelayWire.join("a", "t", "j").length).isGreaterThan(join.length);
  }

  @Test
  void metric_readsTheFirstSampleOfAName() {
    String exposition = "# HELP x\nstampede_relay_stream_buffered_max_bytes 524416.0\n"
        + "stampede_relay_joins_total{result=\"ok\"} 3.0\n";
    assertThat(RelayBench.metric(exposition, "stampede_relay_stream_buffered_max_bytes")).isEqualTo(524416.0);
    assertThat(RelayBench.metric(exposition, "stampede_relay_joins_total")).isEqualTo(3.0);
  }
}
