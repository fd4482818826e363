package dev.stampede.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class OverloadServerTest {
  @Test
  void response_carriesTheQueueDelay_asAProtobufVarint() throws IOException {
    for (long micros : new long[] {0, 1, 127, 128, 16_384, 2_000_000, Long.MAX_VALUE}) {
      byte[] answer = OverloadServer.response(micros);

      assertThat(OverloadServer.queuedMicros(answer)).isEqualTo(micros);
      CodedInputStream in = CodedInputStream.newInstance(answer);
      assertThat(in.readTag()).isEqualTo(8);
      assertThat(in.readInt64()).isEqualTo(1);
      assertThat(in.readTag()).isEqualTo(16);
      assertThat(in.readInt64()).isEqualTo(micros);
      assertThat(in.isAtEnd()).isTrue();
    }
  }

  @Test
  void queuedMicros_ofAnAnswerWithoutIt_isMinusOne() {
    assertThat(OverloadServer.queuedMicros(new byte[] {0x08, 0x01})).isEqualTo(-1);
    assertThat(OverloadServer.queuedMicros(null)).isEqualTo(-1);
    assertThat(OverloadServer.queuedMicros(new byte[] {0x08, 0x01, 0x10, (byte) 0x80})).isEqualTo(-1);
    assertThat(OverloadServer.response(-5)).containsExactly(0x08, 0x01, 0x10, 0x00);
  }
}
