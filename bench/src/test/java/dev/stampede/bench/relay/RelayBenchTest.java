package dev.stampede.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.bench.relay.RelayBench.Result;
import dev.stampede.bench.relay.RelayBench.Round;
import dev.stampede.bench.relay.RelayBench.Stall;
import dev.stampede.bench.relay.RelayBench.Throughput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run's rounds become the reported numbers. */
class RelayBenchTest {
  private static Round round(double relayMbps, double tcpMbps) {
    return new Round(new Throughput(32 * 1024, relayMbps, relayMbps * 1e6 / (32 * 1024), 1.0), tcpMbps);
  }

  private static Result result(Round... rounds) {
    return new Result(List.of(rounds), new Throughput(1024, 1, 1000, 1.0), new Stall(1, 2, 3, true));
  }

  @Test
  void ratio_isTheMedianOfTheRoundsOwnRatios_notARatioOfMediansFromDifferentMoments() {
    // A busy second round halves both numbers: its own ratio is still 0.5.
    Result r = result(round(500, 1000), round(250, 500), round(600, 1000));
    assertThat(r.ratio()).isEqualTo(0.5);
    assertThat(r.frames32k().mbps()).isEqualTo(500);
    assertThat(r.tcpTwoHopMbps()).isEqualTo(1000);
  }

  @Test
  void evenRounds_reportTheLowerMedianRound_andTheMeanOfTheMiddleRatios() {
    Result r = result(round(400, 1000), round(600, 1000));
    assertThat(r.frames32k().mbps()).isEqualTo(400);
    assertThat(r.ratio()).isEqualTo(0.5);
    assertThat(r.tcpTwoHopMbps()).isEqualTo(1000);
  }

  @Test
  void aRoundWithoutTcpThroughput_hasNoRatio() {
    assertThat(round(100, 0).ratio()).isNaN();
  }

  @Test
  void noRounds_isRefused() {
    assertThatThrownBy(() -> result()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
    assertThatThrownBy(() -> RelayBench.run(null, 0, java.time.Duration.ZERO, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds: 0");
    assertThatThrownBy(() -> RelayBench.run(null, 1, java.time.Duration.ofSeconds(-1), null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitWarmup");
  }
}
