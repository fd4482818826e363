package dev.stampede.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {
  @Test
  void defaults_keepAStreamWithinOneMebibyte() {
    RelaySettings s = RelaySettings.defaults();
    assertThat(s.streamMemoryBound()).isEqualTo(s.streamBuffer() + s.inboundWindow() + s.outboundThreshold()
        + RelaySettings.MAX_MESSAGE_BYTES).isLessThanOrEqualTo(RelaySettings.MAX_STREAM_MEMORY);
  }

  @Test
  void buffersOverTheBound_areRefusedNamingTheKeys() {
    assertThatThrownBy(() -> RelaySettings.builder().streamBuffer(800 * 1024).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("streamBuffer + inboundWindow + outboundThreshold: 819200 + 524288 + 131072 bytes"
            + " (expected: ≤ 982016 together");
  }

  @Test
  void bufferSmallerThanOneFrame_isRefused() {
    assertThatThrownBy(() -> RelaySettings.builder().streamBuffer(65_536))
        .hasMessage("streamBuffer: 65536 (expected: ≥ 66560 bytes, one frame)");
  }

  @Test
  void refreshMustFitTwiceIntoTheTtl_andTokensMustNotOutliveAllocations() {
    assertThatThrownBy(() -> RelaySettings.builder().allocationTtl(Duration.ofSeconds(8)).build())
        .hasMessageStartingWith("refreshInterval: PT5S (expected: ≤ half of allocationTtl PT8S)");
    assertThatThrownBy(() -> RelaySettings.builder().allocationTtl(Duration.ofSeconds(30)).build())
        .hasMessageStartingWith("joinTokenTtl: PT1M (expected: ≤ allocationTtl PT30S)");
  }

  @Test
  void outOfRangeValues_areRefusedWithTheExpectedRange() {
    assertThatThrownBy(() -> RelaySettings.builder().maxAllocations(0)).hasMessage("maxAllocations: 0 (expected: > 0)");
    assertThatThrownBy(() -> RelaySettings.builder().drainGrace(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("drainGrace: PT-1S (expected: PT0S .. ");
    assertThatThrownBy(() -> RelaySettings.builder().inboundWindow(1024))
        .hasMessage("inboundWindow: 1024 (expected: ≥ 66560)");
  }
}
